// What the benchmark programs that measure memory share: running one step in a forked child, so
// that its peak RSS (wait4's ru_maxrss) is that step's alone, and reading back the line it prints.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

namespace ecsq::bench {

/// How a child run ended: whether it exited 0, the line `work` returned, its peak RSS and the wall
/// time from fork to exit.
struct ChildRun {
  bool exited_ok = false;
  int status = 0;  ///< wait4's status
  std::string line;
  double peak_mb = 0;
  double wall_seconds = 0;
};

/// Runs `work` in a forked child and returns what it printed through a pipe (its return value).
inline ChildRun run_in_child(const std::function<std::string()>& work) {
  ChildRun out;
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return out;
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    const std::string line = work();
    (void)!write(pipe_fds[1], line.data(), line.size());
    _exit(0);
  }
  close(pipe_fds[1]);
  char buffer[256];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) out.line.append(buffer, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  rusage usage{};
  wait4(pid, &out.status, 0, &usage);
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
  out.exited_ok = WIFEXITED(out.status) && WEXITSTATUS(out.status) == 0;
  return out;
}

}  // namespace ecsq::bench
