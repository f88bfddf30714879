// The README's usage snippet, compiled and run: documentation that cannot rot.
#include <gtest/gtest.h>

#include <asebytes/asebytes.hpp>

#include "golden.hpp"

using namespace asebytes;

TEST(Readme, UsageSnippetRuns) {
    asebytes::test::TempDir dir;
    const std::string path = (dir / "train.lmdb").string();

    // Three tiers, as in Python asebytes: AtomsIO (frames), ObjectIO (rows of values), BlobIO (bytes).
    AtomsIO db(path); // the backend comes from the extension (or a URI scheme)
    Frame f;
    f.numbers = {8, 1, 1};
    f.positions = {0, 0, 0, 0.96, 0, 0, -0.24, 0.93, 0};
    f.set_energy(-14.2);
    f.set_forces({0, 0, 0, 0.1, 0, 0, -0.1, 0, 0});
    f.info["config_type"] = "water";
    db.extend(std::vector<Frame>(50, f)); // one transaction; returns the new length
    std::optional<Frame> first = db[0];   // nullopt for a placeholder row (reserve())

    ObjectIO rows(path); // the same store as flat rows
    Row r = *rows.get(-1, Keys{"calc.energy", "info.config_type"});

    // Lazy views: nothing is read until they are iterated or materialised.
    auto energies = db.column("calc.energy").to_list(); // std::vector<std::optional<Value>>
    auto tail = db.rows(Slice(-100, std::nullopt));     // the last 100 frames
    std::size_t atoms = 0;
    for (const auto& frame : tail)
        atoms += frame->natoms(); // decoded 256 at a time
    for (const auto& chunk : db.rows().chunked(1000))
        atoms += chunk.size(); // vectors of frames
    auto some = db.rows({0, 5, -1}).columns({"calc.energy", "info.step"}).to_dict();

    // Write-back through views and the facade.
    db.rows(Slice(0, 10)).update(Row{{"info.split", Value("train")}});
    db.column("calc.energy").set(std::vector<Value>(db.size(), Value(0.0)));
    db.update_calc(3, Row{{"energy", Value(-13.9)}});
    db.rows(Slice(10, 20)).erase(); // contiguous rows; later rows move up
    db.insert(0, f);
    db.drop({"info.split"});

    // Groups: independent collections side by side in one store.
    OpenOptions test;
    test.group = "test";
    AtomsIO test_set(path, test);
    auto groups = list_groups(path); // {"default", "test"}

    EXPECT_EQ(db.size(), 50u - 10u + 1u);
    EXPECT_EQ(groups, (std::vector<std::string>{"default", "test"}));
    EXPECT_EQ(r.at("info.config_type"), Value("water"));
    EXPECT_EQ(energies.size(), 50u);
    EXPECT_EQ(atoms, 50u * 3u + 50u); // the last "100" are all 50 frames, then one chunk
    EXPECT_EQ(some.at("calc.energy").size(), 3u);
    (void)first;
    (void)test_set;
}

TEST(Readme, TrainingSetSnippetRuns) {
    asebytes::test::TempDir dir;
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    {
        OpenOptions golden; // md.lmdb: the golden periodic frames
        golden.readonly = true;
        std::vector<Row> frames;
        for (const auto& r :
             ObjectIO((asebytes::test::golden_dir() / "periodic.xyz").string(), golden).rows())
            frames.push_back(*r);
        ObjectIO("md.lmdb").extend(frames);

        OpenOptions readonly;
        readonly.readonly = true;
        auto store = open_object_backend("md.lmdb", readonly);
        // Filters read only the keys they need, a chunk of rows at a time.
        Indices rows = Selector(store)
                           .positions(Slice(std::nullopt, std::nullopt, 10)) // every 10th frame
                           .where(parse_filter("max_force=:10"))             // eV/Angstrom
                           .where(filters::energy_per_atom({-5.0, 0.0}))
                           .drop_duplicates("info.step")
                           .run();
        SplitOptions split;
        split.seed = 42;                    // the same seed gives the same parts on every platform
        split.group_by = "info.trajectory"; // optional: related frames stay in one part
        for (const auto& [name, part] :
             split_rows(*store, rows, parse_split("train=0.8,valid=0.1,test=0.1"), split)) {
            OpenOptions mace;
            mace.options = {
                {"energy_key", "REF_energy"}, {"forces_key", "REF_forces"}, {"stress_key", "REF_stress"}};
            auto out =
                std::dynamic_pointer_cast<ObjectReadWriteBackend>(open_object_backend(name + ".xyz", mace));
            copy_rows(*store, part, *out);
        }
        EXPECT_EQ(rows, (Indices{0, 10}));
        EXPECT_EQ(ObjectIO("train.xyz").size() + ObjectIO("valid.xyz").size() + ObjectIO("test.xyz").size(),
                  2u);
    }
    std::filesystem::current_path(cwd);
}

namespace {
std::size_t trained = 0;
void train_step(const Frame&) { ++trained; }
} // namespace

TEST(Readme, SeveralStoresSnippetRuns) {
    asebytes::test::TempDir dir;
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    {
        OpenOptions golden;
        golden.readonly = true;
        std::vector<Frame> frames;
        for (const auto& f : AtomsIO((asebytes::test::golden_dir() / "periodic.xyz").string(), golden).rows())
            frames.push_back(*f);
        AtomsIO("md.lmdb").extend(frames);
        AtomsIO("extra.h5").extend(frames);
        AtomsIO md("md.lmdb"), extra("extra.h5");
        AtomsIO both = md + extra.rows(Slice(0, 100));
        auto energies = both.column("calc.energy").to_list();
        EXPECT_THROW(both.append(frames[0]), ReadOnlyError);

        // The README's source is a Redis server; here the golden frames in an HDF5 file.
        AtomsIO remote = cache_to(AtomsIO("extra.h5"), "cache.lmdb");
        EXPECT_EQ(remote[3]->to_row(), frames[3].to_row());

        AsyncAtomsIO aio(std::move(md));
        std::future<std::size_t> n = aio.size();
        for (const auto& frame : aio.rows(Slice(0, 1000)).prefetch(4))
            train_step(*frame);

        EXPECT_EQ(energies.size(), 2 * frames.size());
        EXPECT_EQ(n.get(), frames.size());
        EXPECT_EQ(trained, frames.size());
        EXPECT_EQ(AtomsIO("cache.lmdb").size(), 4u);
    }
    std::filesystem::current_path(cwd);
}
