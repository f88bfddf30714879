#pragma once
// The single self-contained HTML file of `asebytes report`: inline CSS and SVG only, and a
// Content-Security-Policy that forbids loading anything, so the file opens offline as it is.
#include <string>
#include <vector>

#include "report_data.hpp"
#include "store_summary.hpp"

namespace asebytes::cli::report {

/// What the header table names.
struct StoreHeader {
    std::string store, backend;
    std::vector<std::string> all_groups;
    std::vector<GroupSummary> groups; ///< the groups reported on
};

/// The whole report page; `keys` are the extra per-frame keys plotted (--keys).
std::string report_html(const StoreHeader& header, const ReportData& data,
                        const std::vector<std::string>& keys);

} // namespace asebytes::cli::report
