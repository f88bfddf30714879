// Every file of the bad-input corpus (tests/data/bad/README.md) is opened through the registry and
// read completely, as `asebytes verify` reads it: damage gives an asebytes::Error naming the store,
// never a crash, a hang or an allocation of what a damaged header declares.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <optional>

#include "asebytes/asebytes.hpp"
#include "golden.hpp"
#include "read_everything.hpp"

namespace asebytes::test {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ASEBYTES_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ASEBYTES_SANITIZED 1
#endif
#endif

// A declared size believed would show up as an allocation far beyond this. Sanitizers reserve
// terabytes of shadow memory, so there scripts/sanitize caps single allocations instead.
void limit_address_space() {
#ifndef ASEBYTES_SANITIZED
    const rlim_t limit = rlim_t{4} << 30;
    rlimit current{};
    getrlimit(RLIMIT_AS, &current);
    if (current.rlim_cur == RLIM_INFINITY || current.rlim_cur > limit) {
        current.rlim_cur = limit;
        setrlimit(RLIMIT_AS, &current);
    }
#endif
}

struct CorpusCase {
    fs::path store;
    std::string expect; ///< valid, must_fail or may_read (the folder it is in)
};

/// gtest names a case by its store.
void PrintTo(const CorpusCase& c, std::ostream* os) { *os << c.store.string(); }

// build/tests/data/bad (generated) and tests/data/bad/regressions (inputs the fuzzers found),
// laid out as <expect>/<backend>/<store>.
std::vector<CorpusCase> corpus_cases() {
    std::vector<CorpusCase> cases;
    for (const fs::path& root : {fs::path(ASEBYTES_BAD_CORPUS_DIR), data_dir() / "bad" / "regressions"}) {
        for (const std::string expect : {"valid", "must_fail", "may_read"}) {
            if (!fs::is_directory(root / expect)) continue;
            for (const auto& backend : fs::directory_iterator(root / expect))
                for (const auto& store : fs::directory_iterator(backend.path()))
                    cases.push_back({store.path(), expect});
        }
    }
    std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.store < b.store; });
    return cases;
}

class BadCorpus : public ::testing::TestWithParam<CorpusCase> {
protected:
    void SetUp() override { limit_address_space(); }
};

TEST_P(BadCorpus, ReadsOrFailsWithAnAsebytesErrorNamingTheStore) {
    const CorpusCase& c = GetParam();
    const std::string path = c.store.string();
    std::optional<std::string> error;
    std::size_t rows = 0;
    try {
        rows = read_everything(path);
    } catch (const Error& e) {
        error = e.what();
    } catch (const std::exception& e) {
        FAIL() << path << ": not an asebytes::Error: " << e.what();
    }
    if (c.expect == "valid") {
        EXPECT_FALSE(error) << error.value_or("");
        EXPECT_EQ(rows, 4u) << path;
    }
    if (c.expect == "must_fail") {
        EXPECT_TRUE(error) << path << " read " << rows << " rows without an error";
    }
    if (error) {
        EXPECT_NE(error->find(path), std::string::npos) << "the message does not name the store: " << *error;
    }
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadCorpus, ::testing::ValuesIn(corpus_cases()), [](const auto& info) {
    const fs::path& p = info.param.store;
    return test_identifier(info.param.expect + "_" + p.parent_path().filename().string() + "_" +
                           p.stem().string());
});

// The corpus is made from the registry (tests/data/bad/make_bad_corpus.cpp): every writable
// backend whose stores are files, and every read-only one whose store is one file (from its golden
// file), has its valid store, truncations and flipped bits.
TEST(BadCorpusCoverage, EveryBackendOnDiskHasItsCases) {
    for (const auto& e : backends()) {
        const BackendMetadata& m = *e.metadata;
        if (m.storage == Storage::None || (!m.writable && m.storage != Storage::File)) continue;
        SCOPED_TRACE(m.name);
        const fs::path root(ASEBYTES_BAD_CORPUS_DIR);
        EXPECT_TRUE(fs::exists(root / "valid" / m.name / ("valid" + m.extensions.front())));
        EXPECT_TRUE(fs::exists(root / (m.text ? "may_read" : "must_fail") / m.name /
                               ("truncated-to-half" + m.extensions.front())));
    }
}

} // namespace
} // namespace asebytes::test
