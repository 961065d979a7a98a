// Message helpers for validation errors: Python-like quoting so messages read like Argilla's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spanloop::store {

// 'value' (single quotes, as Python's repr of a str without escapes).
std::string quoted(std::string_view s);
// ['a', 'b']
std::string quoted_list(const std::vector<std::string>& values);

}  // namespace spanloop::store
