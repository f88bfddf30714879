// JSON for extended XYZ values that are neither numbers, bools, strings nor 1-d arrays: ASE writes
// them as `_JSON <json.dumps(value)>` and reads them back through np.array where the result is
// numeric (ase/io/extxyz.py, key_val_dict_to_str / key_val_str_to_dict).
#include <optional>

#include "extxyz_format.hpp"
#include "python_json.hpp"

namespace asebytes::extxyz {
namespace {

// What np.array(d) makes of a nested list: a numeric or bool array when it is rectangular and
// uniform, nullopt otherwise (ASE then keeps the Python object).
struct Leaves {
    std::vector<std::int64_t> shape;
    std::vector<const Value*> values;
};

bool collect(const Value& v, std::size_t depth, Leaves& out) {
    if (v.kind() != Value::Kind::List) {
        if (depth < out.shape.size()) return false;
        out.values.push_back(&v);
        return true;
    }
    const List& list = v.as_list();
    if (depth == out.shape.size()) {
        if (!out.values.empty()) return false;
        out.shape.push_back(static_cast<std::int64_t>(list.size()));
    } else if (depth > out.shape.size() || out.shape[depth] != static_cast<std::int64_t>(list.size())) {
        return false;
    }
    for (const auto& x : list)
        if (!collect(x, depth + 1, out)) return false;
    return true;
}

std::optional<Value> as_numpy_array(const Value& v) {
    if (v.kind() != Value::Kind::List) return std::nullopt;
    Leaves leaves;
    if (!collect(v, 0, leaves) || leaves.values.empty()) return std::nullopt;
    bool bools = true, ints = true, numbers = true;
    for (const Value* x : leaves.values) {
        const auto k = x->kind();
        bools = bools && k == Value::Kind::Bool;
        ints = ints && k == Value::Kind::Int;
        numbers = numbers && (k == Value::Kind::Int || k == Value::Kind::Float);
    }
    if (bools) {
        std::vector<bool> b;
        for (const Value* x : leaves.values)
            b.push_back(x->as_bool());
        return Value(NdArray::from<bool>(leaves.shape, b));
    }
    if (ints) {
        std::vector<std::int64_t> i;
        for (const Value* x : leaves.values)
            i.push_back(x->as_int());
        return Value(NdArray::from<std::int64_t>(leaves.shape, i));
    }
    if (numbers) {
        std::vector<double> d;
        for (const Value* x : leaves.values)
            d.push_back(x->as_double());
        return Value(NdArray::from<double>(leaves.shape, d));
    }
    return std::nullopt;
}

} // namespace

Value parse_json(std::string_view text) {
    Value v = python_json::loads(text);
    if (auto a = as_numpy_array(v)) return *a;
    return v;
}

std::string to_json(const Value& v) { return python_json::dumps(v, "extxyz", python_json::Arrays::AsLists); }

} // namespace asebytes::extxyz
