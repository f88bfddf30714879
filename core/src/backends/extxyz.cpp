// Extended XYZ backend: one file, one collection. Opening scans the file once, streaming, and
// records where each frame starts; a read seeks to its frame and parses only that frame (only its
// comment line when the requested keys live there). Writes append.
#include "asebytes/backends/extxyz.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "asebytes/adapters.hpp"
#include "decimal.hpp"
#include "extxyz_format.hpp"

namespace asebytes {

namespace fs = std::filesystem;

namespace {

// Where a frame starts: byte offset and 1-based line number of its atom count line.
struct FrameStart {
    std::uint64_t offset;
    std::uint64_t line;
};

bool is_blank(const std::string& s) { return s.find_first_not_of(" \t\r\n\f\v") == std::string::npos; }

// Keys that come from the comment line alone (cell, pbc, info.*, per-frame results).
extxyz::Need need_for(const std::optional<Keys>& keys) {
    if (!keys) return extxyz::Need::Everything;
    for (const auto& k : *keys) {
        if (k == "cell" || k == "pbc" || k.compare(0, 5, "info.") == 0) continue;
        if (k == "calc.energy" || k == "calc.stress" || k == "calc.free_energy" || k == "calc.dipole" ||
            k == "calc.magmom")
            continue;
        return extxyz::Need::Everything;
    }
    return extxyz::Need::CommentOnly;
}

std::optional<Row> select(Row&& row, const std::optional<Keys>& keys) {
    if (!keys) return std::move(row);
    Row out;
    for (const auto& k : *keys) {
        auto it = row.find(k);
        if (it != row.end()) out.emplace(k, std::move(it->second));
    }
    return out;
}

} // namespace

struct ExtxyzBackend::Impl {
    std::string path;
    ExtxyzSettings settings;
    extxyz::ResultNames names;
    std::vector<FrameStart> frames;
    std::uint64_t end_offset = 0; // bytes scanned
    std::uint64_t end_line = 0;   // lines scanned
    bool ends_with_newline = true;
    std::ifstream in;
    std::mutex mutex;

    std::string where(std::uint64_t line) const { return path + ":" + std::to_string(line); }

    // One pass over the file: frame starts, and every frame complete.
    void scan() {
        std::ifstream file(path, std::ios::binary);
        if (!file) throw BackendError("cannot open " + path + " for reading");
        std::string line;
        std::uint64_t offset = 0, number = 0;
        std::optional<std::uint64_t> blank_line; // a blank line where a frame should start
        while (std::getline(file, line)) {
            const std::uint64_t start = offset;
            offset += line.size() + (file.eof() ? 0 : 1);
            ++number;
            if (is_blank(line)) {
                if (!blank_line) blank_line = number;
                continue;
            }
            if (blank_line)
                throw CorruptDataError(where(*blank_line) +
                                       ": expected the number of atoms, found an empty line");
            const std::size_t natoms = count_of(line, number);
            frames.push_back({start, number});
            for (std::size_t k = 0; k < natoms + 1; ++k) {
                if (!std::getline(file, line))
                    throw CorruptDataError(
                        where(frames.back().line) + ": truncated frame: " + std::to_string(natoms) +
                        " atoms declared, the file ends after " +
                        (k == 0 ? std::string("the atom count line") : std::to_string(k - 1) + " atoms"));
                offset += line.size() + (file.eof() ? 0 : 1);
                ++number;
            }
        }
        end_offset = offset;
        end_line = number;
        ends_with_newline = end_offset == 0 || last_byte_is_newline();
    }

    std::size_t count_of(const std::string& line, std::uint64_t number) const {
        const auto first = line.find_first_not_of(" \t\r");
        const auto last = line.find_last_not_of(" \t\r\n");
        const std::string t = first == std::string::npos ? "" : line.substr(first, last - first + 1);
        // Python's int(), as ASE reads the count, also takes a leading '+'.
        const auto n = parse_unsigned(t.size() > 1 && t[0] == '+' ? std::string_view(t).substr(1) : t);
        if (!n)
            throw CorruptDataError(where(number) + ": expected the number of atoms, found '" +
                                   t.substr(0, 40) + "'");
        return static_cast<std::size_t>(*n);
    }

    bool last_byte_is_newline() const {
        std::ifstream f(path, std::ios::binary);
        f.seekg(-1, std::ios::end);
        char c = 0;
        return f.get(c) && c == '\n';
    }

    std::string frame_text(std::size_t index) {
        const std::uint64_t begin = frames[index].offset;
        const std::uint64_t end = index + 1 < frames.size() ? frames[index + 1].offset : end_offset;
        if (!in.is_open()) {
            in.open(path, std::ios::binary);
            if (!in) throw BackendError("cannot open " + path + " for reading");
        }
        in.clear();
        in.seekg(static_cast<std::streamoff>(begin));
        std::string text(end - begin, '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        if (static_cast<std::uint64_t>(in.gcount()) != text.size())
            throw CorruptDataError(where(frames[index].line) +
                                   ": the file is shorter than when it was opened");
        return text;
    }

    Row read(std::size_t index, extxyz::Need need) {
        try {
            return extxyz::read_frame(frame_text(index), need, names);
        } catch (const extxyz::FormatError& e) {
            throw CorruptDataError(where(frames[index].line + e.line) + ": " + e.what() + " (frame " +
                                   std::to_string(index) + ")");
        }
    }
};

const BackendMetadata& ExtxyzBackend::describe() {
    static const BackendMetadata m = [] {
        BackendMetadata d;
        d.name = "extxyz";
        d.description = "extended XYZ text as ASE writes it; indexed for random access; writes append";
        d.extensions = {".xyz", ".extxyz"};
        d.text = true;
        d.native_tier = Tier::Object;
        d.edits_in_place = false;
        d.groups = false;
        return d;
    }();
    return m;
}

namespace {
std::shared_ptr<ExtxyzBackend> open_extxyz(const std::string& path, const OpenOptions& options) {
    OptionReader reader(options, "extxyz");
    ExtxyzSettings settings;
    settings.energy_key = reader.get("energy_key", settings.energy_key);
    settings.forces_key = reader.get("forces_key", settings.forces_key);
    settings.stress_key = reader.get("stress_key", settings.stress_key);
    reader.finish();
    settings.readonly = options.readonly;
    const std::string& group = options.group.value_or(ExtxyzBackend::describe().default_group);
    if (group != ExtxyzBackend::describe().default_group)
        throw Error("extxyz file " + path + " holds one collection ('" +
                    ExtxyzBackend::describe().default_group + "'), not group '" + group + "'");
    return std::make_shared<ExtxyzBackend>(path, settings);
}
} // namespace

BackendEntry ExtxyzBackend::entry() {
    BackendEntry e;
    e.metadata = &describe();
    e.open_object = [](const std::string& path,
                       const OpenOptions& options) -> std::shared_ptr<ObjectReadBackend> {
        auto backend = open_extxyz(path, options);
        return backend;
    };
    e.list_groups = &ExtxyzBackend::list_groups;
    return e;
}

std::vector<std::string> ExtxyzBackend::list_groups(const std::string& path) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return {describe().default_group};
    return {};
}

ExtxyzBackend::ExtxyzBackend(const std::string& path, ExtxyzSettings settings)
    : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->settings = settings;
    impl_->names = {settings.energy_key, settings.forces_key, settings.stress_key};
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        if (settings.readonly) throw Error("extxyz file " + path + " does not exist");
        std::ofstream create(path, std::ios::binary);
        if (!create) throw BackendError("cannot create " + path);
    } else if (fs::is_directory(path, ec)) {
        throw Error(path + " is a directory, not an extxyz file");
    }
    impl_->scan();
}

ExtxyzBackend::~ExtxyzBackend() = default;

std::string ExtxyzBackend::location() const { return "extxyz file " + impl_->path; }

std::size_t ExtxyzBackend::size() {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->frames.size();
}

ExtxyzBackend::MaybeRow ExtxyzBackend::get(std::size_t index, const std::optional<Keys>& keys) {
    check_index(index);
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return select(impl_->read(index, need_for(keys)), keys);
}

std::vector<ExtxyzBackend::MaybeRow> ExtxyzBackend::get_many(const Indices& indices,
                                                             const std::optional<Keys>& keys) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const auto need = need_for(keys);
    std::vector<MaybeRow> out;
    out.reserve(indices.size());
    for (auto i : indices) {
        if (i >= impl_->frames.size())
            throw IndexError("index " + std::to_string(i) + " out of range for " +
                             std::to_string(impl_->frames.size()) + " rows in " + location());
        out.push_back(select(impl_->read(i, need), keys));
    }
    return out;
}

std::size_t ExtxyzBackend::extend(const std::vector<MaybeRow>& rows) {
    if (impl_->settings.readonly) throw ReadOnlyError(location() + " is open read-only");
    // Format every frame first: a row that cannot be written leaves the file unchanged.
    std::vector<std::string> texts;
    texts.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i])
            throw NotSupportedError("extxyz cannot store placeholder rows (row " + std::to_string(i) + ")");
        try {
            texts.push_back(extxyz::write_frame(*rows[i], impl_->names));
        } catch (const TypeError& e) {
            throw TypeError("row " + std::to_string(i) + " for " + location() + ": " + e.what());
        }
    }
    std::lock_guard<std::mutex> lock(impl_->mutex);
    std::ofstream out(impl_->path, std::ios::binary | std::ios::app);
    if (!out) throw BackendError("cannot open " + impl_->path + " for appending");
    if (!impl_->ends_with_newline) {
        out << '\n';
        impl_->end_offset += 1;
        impl_->ends_with_newline = true;
    }
    for (const auto& text : texts) {
        impl_->frames.push_back({impl_->end_offset, impl_->end_line + 1});
        out << text;
        impl_->end_offset += text.size();
        impl_->end_line += static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
    }
    out.flush();
    if (!out) throw BackendError("writing " + impl_->path + " failed");
    return impl_->frames.size();
}

void ExtxyzBackend::clear() {
    if (impl_->settings.readonly) throw ReadOnlyError(location() + " is open read-only");
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->in.close();
    std::ofstream truncate(impl_->path, std::ios::binary | std::ios::trunc);
    if (!truncate) throw BackendError("cannot truncate " + impl_->path);
    impl_->frames.clear();
    impl_->end_offset = 0;
    impl_->end_line = 0;
    impl_->ends_with_newline = true;
}

void ExtxyzBackend::remove() {
    if (impl_->settings.readonly) throw ReadOnlyError(location() + " is open read-only");
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->in.close();
    std::error_code ec;
    fs::remove(impl_->path, ec);
    if (ec) throw BackendError("cannot remove " + impl_->path + ": " + ec.message());
    impl_->frames.clear();
    impl_->end_offset = 0;
    impl_->end_line = 0;
}

void ExtxyzBackend::flush() {}

} // namespace asebytes
