#pragma once
// A backend that passes every call to another and records what was read, when, and how long it
// took: for tests of what a facade reads from its source (cache_to, concatenations, prefetch).
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "asebytes/backend.hpp"

namespace asebytes::test {

using Clock = std::chrono::steady_clock;

/// [begin, end) of something that took time.
struct Interval {
    Clock::time_point begin, end;
    bool overlaps(const Interval& o) const { return begin < o.end && o.begin < end; }
};

class RecordingBackend : public ObjectReadWriteBackend {
public:
    explicit RecordingBackend(std::shared_ptr<ObjectReadWriteBackend> inner) : inner_(std::move(inner)) {}

    /// Each read of rows sleeps this long first (a slow or remote store).
    std::chrono::milliseconds read_delay{0};
    /// Runs at the start of every read of rows (to hold a read until the test lets it go).
    std::function<void()> before_read;
    /// The read with this number (0 the first) fails with BackendError.
    std::optional<std::size_t> fail_read;

    /// Rows asked for by reads of rows (get, get_many, get_column), in order.
    Indices rows_read() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return rows_read_;
    }
    /// One entry per read of rows: its number of rows and its interval.
    std::vector<std::pair<std::size_t, Interval>> reads() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return reads_;
    }

    const BackendMetadata& metadata() const override { return inner_->metadata(); }
    std::string location() const override { return "recorded " + inner_->location(); }
    std::size_t size() override { return inner_->size(); }
    MaybeRow get(std::size_t index, const std::optional<Keys>& keys = std::nullopt) override {
        return std::move(get_many({index}, keys).front());
    }
    std::vector<MaybeRow> get_many(const Indices& indices,
                                   const std::optional<Keys>& keys = std::nullopt) override {
        return recorded(indices, [&] { return inner_->get_many(indices, keys); });
    }
    std::vector<std::optional<Value>> get_column(const std::string& key, const Indices& indices) override {
        return recorded(indices, [&] { return inner_->get_column(key, indices); });
    }
    Keys keys(std::size_t index) override { return inner_->keys(index); }

    std::size_t extend(const std::vector<MaybeRow>& rows) override { return inner_->extend(rows); }
    void set(std::size_t index, const MaybeRow& row) override { inner_->set(index, row); }
    void insert(std::size_t index, const MaybeRow& row) override { inner_->insert(index, row); }
    void erase(std::size_t index) override { inner_->erase(index); }
    void update(std::size_t index, const RowType& fields) override { inner_->update(index, fields); }
    void clear() override { inner_->clear(); }

private:
    template <class F> std::invoke_result_t<F&> recorded(const Indices& indices, F read) {
        Interval when{Clock::now(), {}};
        std::size_t number;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            number = calls_++;
        }
        if (before_read) before_read();
        if (read_delay.count() > 0) std::this_thread::sleep_for(read_delay);
        if (fail_read && number == *fail_read)
            throw BackendError(location() + ": read " + std::to_string(number) + " failed");
        auto out = read();
        when.end = Clock::now();
        std::lock_guard<std::mutex> lock(mutex_);
        rows_read_.insert(rows_read_.end(), indices.begin(), indices.end());
        reads_.emplace_back(indices.size(), when);
        return out;
    }

    std::shared_ptr<ObjectReadWriteBackend> inner_;
    mutable std::mutex mutex_;
    std::size_t calls_ = 0;
    Indices rows_read_;
    std::vector<std::pair<std::size_t, Interval>> reads_;
};

} // namespace asebytes::test
