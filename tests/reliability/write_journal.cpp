// LD_PRELOAD library for the crash-prefix tests: records, in order, every write, resize, fsync and
// rename a process makes to the files whose path contains $ASEBYTES_WRITE_JOURNAL_MATCH, into the
// file $ASEBYTES_WRITE_JOURNAL, and as marks what it writes to files whose path contains
// $ASEBYTES_WRITE_JOURNAL_MARK (the writer's flush log: where each flush returned). A process killed by
// SIGKILL leaves on disk exactly some prefix of these operations (the kernel keeps every write that
// returned), so replaying each prefix shows what a kill at that moment would leave (crash_prefix_test.cpp).
// Records: see write_journal.hpp.
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "write_journal.hpp"

namespace {

using asebytes::test::JournalOp;

template <class F> F real(const char* name) { return reinterpret_cast<F>(dlsym(RTLD_NEXT, name)); }

enum Watch : char { None, Store, Mark };

struct Journal {
    std::mutex mutex;
    int fd = -1;
    const char* match = nullptr;
    const char* mark = nullptr;
    Watch watched[4096] = {};

    Journal() {
        const char* path = std::getenv("ASEBYTES_WRITE_JOURNAL");
        match = std::getenv("ASEBYTES_WRITE_JOURNAL_MATCH");
        mark = std::getenv("ASEBYTES_WRITE_JOURNAL_MARK");
        if (!path || !match || !*match) return;
        fd = real<int (*)(const char*, int, ...)>("open")(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                                                          0644);
    }
    bool matches(const char* path) const { return fd >= 0 && path && std::strstr(path, match); }
    Watch kind(int file) const { return fd >= 0 && file >= 0 && file < 4096 ? watched[file] : None; }
    bool watching(int file) const { return kind(file) == Store; }
    void watch(int file, const char* path) {
        if (file < 0 || file >= 4096) return;
        watched[file] = matches(path)                                                 ? Store
                        : fd >= 0 && path && mark && *mark && std::strstr(path, mark) ? Mark
                                                                                      : None;
    }
    // A write to a watched file: the store's bytes, or a mark.
    void wrote(int file, std::uint64_t offset, const void* data, std::size_t size) {
        if (kind(file) != None)
            record(kind(file) == Store ? JournalOp::Write : JournalOp::Mark, offset, size, data);
    }
    void put(const void* data, std::size_t size) {
        static const auto write_fn = real<ssize_t (*)(int, const void*, size_t)>("write");
        const char* p = static_cast<const char*>(data);
        while (size > 0) {
            const ssize_t n = write_fn(fd, p, size);
            if (n <= 0) std::abort(); // a journal with a hole would make the test lie
            p += n;
            size -= static_cast<std::size_t>(n);
        }
    }
    void record(JournalOp op, std::uint64_t a, std::uint64_t b, const void* data = nullptr) {
        const char code = static_cast<char>(op);
        put(&code, 1);
        put(&a, sizeof a);
        put(&b, sizeof b);
        if (data) put(data, b);
    }
};

Journal& journal() {
    static Journal j;
    return j;
}

int watch_opened(int fd, const char* path, int flags) {
    if (fd >= 0) {
        auto& j = journal();
        std::lock_guard<std::mutex> lock(j.mutex);
        j.watch(fd, path);
        if (j.watching(fd) && (flags & O_TRUNC)) j.record(JournalOp::Truncate, 0, 0);
    }
    return fd;
}

mode_t mode_argument(int flags, va_list args) {
    return (flags & (O_CREAT | O_TMPFILE)) ? static_cast<mode_t>(va_arg(args, int)) : 0;
}

ssize_t pwrite_and_record(const char* name, int fd, const void* buf, size_t count, off_t offset) {
    const ssize_t n = real<ssize_t (*)(int, const void*, size_t, off_t)>(name)(fd, buf, count, offset);
    auto& j = journal();
    std::lock_guard<std::mutex> lock(j.mutex);
    if (n > 0) j.wrote(fd, static_cast<std::uint64_t>(offset), buf, static_cast<std::size_t>(n));
    return n;
}

// Records `op` with `value` when the call succeeded (rc 0) on a watched file; returns rc.
int record_if_done(int rc, int fd, JournalOp op, off_t value = 0) {
    auto& j = journal();
    std::lock_guard<std::mutex> lock(j.mutex);
    if (rc == 0 && j.watching(fd)) j.record(op, static_cast<std::uint64_t>(value), 0);
    return rc;
}

} // namespace

extern "C" {

// Each call and its 64-bit twin (the same function on x86-64, under two names).
#define ASEBYTES_OPEN(name)                                                                                  \
    int name(const char* path, int flags, ...) {                                                             \
        va_list args;                                                                                        \
        va_start(args, flags);                                                                               \
        const mode_t mode = mode_argument(flags, args);                                                      \
        va_end(args);                                                                                        \
        return watch_opened(real<int (*)(const char*, int, ...)>(#name)(path, flags, mode), path, flags);    \
    }
ASEBYTES_OPEN(open)
ASEBYTES_OPEN(open64)

int openat(int dirfd, const char* path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    const mode_t mode = mode_argument(flags, args);
    va_end(args);
    return watch_opened(real<int (*)(int, const char*, int, ...)>("openat")(dirfd, path, flags, mode), path,
                        flags);
}

// std::ofstream opens with fopen, whose own open call does not pass through this library.
#define ASEBYTES_FOPEN(name)                                                                                 \
    FILE* name(const char* path, const char* mode) {                                                         \
        FILE* f = real<FILE* (*)(const char*, const char*)>(#name)(path, mode);                              \
        if (f) watch_opened(fileno(f), path, std::strchr(mode, 'w') ? O_TRUNC : 0);                          \
        return f;                                                                                            \
    }
ASEBYTES_FOPEN(fopen)
ASEBYTES_FOPEN(fopen64)

int fclose(FILE* f) {
    if (f) {
        auto& j = journal();
        std::lock_guard<std::mutex> lock(j.mutex);
        j.watch(fileno(f), nullptr);
    }
    return real<int (*)(FILE*)>("fclose")(f);
}

int close(int fd) {
    {
        auto& j = journal();
        std::lock_guard<std::mutex> lock(j.mutex);
        j.watch(fd, nullptr);
    }
    return real<int (*)(int)>("close")(fd);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
    return pwrite_and_record("pwrite", fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
    return pwrite_and_record("pwrite64", fd, buf, count, offset);
}

ssize_t write(int fd, const void* buf, size_t count) {
    auto& j = journal();
    const auto write_fn = real<ssize_t (*)(int, const void*, size_t)>("write");
    if (j.kind(fd) == None) return write_fn(fd, buf, count);
    const off_t offset = lseek(fd, 0, SEEK_CUR);
    const ssize_t n = write_fn(fd, buf, count);
    std::lock_guard<std::mutex> lock(j.mutex);
    if (n > 0) j.wrote(fd, static_cast<std::uint64_t>(offset), buf, static_cast<std::size_t>(n));
    return n;
}

// Vectored writes (LMDB writes runs of pages with them): one record per buffer, in file order.
static ssize_t writev_and_record(int fd, const struct iovec* iov, int iovcnt, off_t offset, ssize_t n) {
    auto& j = journal();
    std::lock_guard<std::mutex> lock(j.mutex);
    for (int i = 0; i < iovcnt && n > 0; ++i) {
        const auto part = std::min<std::size_t>(iov[i].iov_len, static_cast<std::size_t>(n));
        j.wrote(fd, static_cast<std::uint64_t>(offset), iov[i].iov_base, part);
        offset += static_cast<off_t>(part);
        n -= static_cast<ssize_t>(part);
    }
    return n;
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
    const auto writev_fn = real<ssize_t (*)(int, const struct iovec*, int)>("writev");
    if (journal().kind(fd) == None) return writev_fn(fd, iov, iovcnt);
    const off_t offset = lseek(fd, 0, SEEK_CUR);
    const ssize_t n = writev_fn(fd, iov, iovcnt);
    writev_and_record(fd, iov, iovcnt, offset, n);
    return n;
}

#define ASEBYTES_PWRITEV(name)                                                                               \
    ssize_t name(int fd, const struct iovec* iov, int iovcnt, off_t offset) {                                \
        const ssize_t n =                                                                                    \
            real<ssize_t (*)(int, const struct iovec*, int, off_t)>(#name)(fd, iov, iovcnt, offset);         \
        writev_and_record(fd, iov, iovcnt, offset, n);                                                       \
        return n;                                                                                            \
    }
ASEBYTES_PWRITEV(pwritev)
ASEBYTES_PWRITEV(pwritev64)

int ftruncate(int fd, off_t size) {
    return record_if_done(real<int (*)(int, off_t)>("ftruncate")(fd, size), fd, JournalOp::Truncate, size);
}

int ftruncate64(int fd, off_t size) {
    return record_if_done(real<int (*)(int, off_t)>("ftruncate64")(fd, size), fd, JournalOp::Truncate, size);
}

int posix_fallocate(int fd, off_t offset, off_t len) {
    const int rc = real<int (*)(int, off_t, off_t)>("posix_fallocate")(fd, offset, len);
    return record_if_done(rc, fd, JournalOp::Extend, offset + len);
}

int posix_fallocate64(int fd, off_t offset, off_t len) {
    const int rc = real<int (*)(int, off_t, off_t)>("posix_fallocate64")(fd, offset, len);
    return record_if_done(rc, fd, JournalOp::Extend, offset + len);
}

int fsync(int fd) { return record_if_done(real<int (*)(int)>("fsync")(fd), fd, JournalOp::Sync); }

int fdatasync(int fd) { return record_if_done(real<int (*)(int)>("fdatasync")(fd), fd, JournalOp::Sync); }

int rename(const char* from, const char* to) {
    const int rc = real<int (*)(const char*, const char*)>("rename")(from, to);
    auto& j = journal();
    std::lock_guard<std::mutex> lock(j.mutex);
    if (rc == 0 && j.matches(from) && j.matches(to)) j.record(JournalOp::Rename, 0, 0);
    return rc;
}

} // extern "C"
