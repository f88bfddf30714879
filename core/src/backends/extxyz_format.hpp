#pragma once
// Extended XYZ text <-> rows, following ASE 3.22's ase/io/extxyz.py (key_val_str_to_dict,
// _read_xyz_frame, write_xyz) and asebytes' atoms_to_dict. Internal to the extxyz backend.
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "asebytes/value.hpp"

namespace asebytes::extxyz {

/// A malformed frame; `line` counts from the frame's first (atom count) line, 0-based.
class FormatError : public std::runtime_error {
public:
    FormatError(std::size_t line_in_frame, const std::string& message)
        : std::runtime_error(message), line(line_in_frame) {}
    std::size_t line;
};

/// Names of calculator results in the file (export renames, e.g. REF_energy for MACE).
struct ResultNames {
    std::string energy = "energy";
    std::string forces = "forces";
    std::string stress = "stress";
};

using KeyValues = std::vector<std::pair<std::string, Value>>;

/// The key=value pairs of a comment line, typed as ASE's key_val_str_to_dict types them.
/// Throws FormatError (line 1) for a special 3x3 key without nine numbers.
KeyValues parse_comment(std::string_view line);
/// A JSON document as a Value (objects as Map, arrays as List); std::invalid_argument if bad.
Value parse_json(std::string_view text);
/// JSON text of a value (arrays as nested lists); TypeError for bytes.
std::string to_json(const Value& v);

/// What a read needs: the comment line is enough for cell, pbc, info.* and per-frame calc.*.
enum class Need { CommentOnly, Everything };

/// The row of one frame; `text` starts at its atom count line. FormatError when malformed.
Row read_frame(std::string_view text, Need need, const ResultNames& names);
/// The text of one frame (ending in a newline); TypeError when the row cannot be written.
std::string write_frame(const Row& row, const ResultNames& names);

} // namespace asebytes::extxyz
