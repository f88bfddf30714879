#pragma once
// Where the async facades (asebytes/async.hpp) run their work: a small, bounded pool of threads,
// and per store a Strand that runs that store's tasks one at a time, in the order they were
// posted. The backends are not thread-safe, and a write followed by a read must see the write.
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <type_traits>

namespace asebytes {

class TaskPool {
public:
    /// `threads` workers (at least one), started now.
    explicit TaskPool(std::size_t threads);
    /// Runs the tasks already queued, then joins the workers.
    ~TaskPool();
    TaskPool(const TaskPool&) = delete;
    TaskPool& operator=(const TaskPool&) = delete;

    void submit(std::function<void()> task);
    std::size_t threads() const;

    /// The process's pool for async facades that are not given one: 4 threads, as Python's
    /// asyncio.to_thread would use a few, since each store runs one task at a time anyway.
    static TaskPool& shared();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class Strand {
public:
    explicit Strand(TaskPool& pool);

    /// Queues `task` after every task posted before it; it runs on a pool thread.
    void post(std::function<void()> task);

    /// Runs f() after the tasks posted before it; its result or exception comes in the future.
    template <class F> auto run(F f) -> std::future<std::invoke_result_t<F&>> {
        using R = std::invoke_result_t<F&>;
        auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
        auto result = task->get_future();
        post([task] { (*task)(); });
        return result;
    }

private:
    struct State;
    std::shared_ptr<State> state_;
};

} // namespace asebytes
