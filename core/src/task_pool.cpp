#include "asebytes/task_pool.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace asebytes {

struct TaskPool::Impl {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::function<void()>> queue;
    bool stopping = false;
    std::vector<std::thread> workers;

    void work() {
        for (;;) {
            std::function<void()> task;
            {
                std::unique_lock<std::mutex> lock(mutex);
                wake.wait(lock, [&] { return stopping || !queue.empty(); });
                if (queue.empty()) return;
                task = std::move(queue.front());
                queue.pop_front();
            }
            task();
        }
    }
};

TaskPool::TaskPool(std::size_t threads) : impl_(std::make_unique<Impl>()) {
    for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
        impl_->workers.emplace_back([impl = impl_.get()] { impl->work(); });
}

TaskPool::~TaskPool() {
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    for (auto& t : impl_->workers)
        t.join();
}

void TaskPool::submit(std::function<void()> task) {
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->queue.push_back(std::move(task));
    }
    impl_->wake.notify_one();
}

std::size_t TaskPool::threads() const { return impl_->workers.size(); }

TaskPool& TaskPool::shared() {
    static TaskPool pool(4);
    return pool;
}

struct Strand::State {
    TaskPool* pool;
    std::mutex mutex;
    std::deque<std::function<void()>> queue;
    bool running = false;

    // One task per turn on the pool, so several stores' strands share its threads fairly.
    static void turn(const std::shared_ptr<State>& self) {
        std::function<void()> task;
        {
            std::lock_guard<std::mutex> lock(self->mutex);
            task = std::move(self->queue.front());
            self->queue.pop_front();
        }
        task(); // a packaged_task: its exception goes to its future
        std::lock_guard<std::mutex> lock(self->mutex);
        if (self->queue.empty())
            self->running = false;
        else
            self->pool->submit([self] { turn(self); });
    }
};

Strand::Strand(TaskPool& pool) : state_(std::make_shared<State>()) { state_->pool = &pool; }

void Strand::post(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->queue.push_back(std::move(task));
    if (state_->running) return;
    state_->running = true;
    state_->pool->submit([self = state_] { State::turn(self); });
}

} // namespace asebytes
