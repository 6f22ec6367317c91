#include "napier/stack.hpp"

#include <pthread.h>

namespace napier {
namespace {

struct Job {
  const std::function<int()>* body;
  int result = 0;
};

void* trampoline(void* arg) {
  auto* job = static_cast<Job*>(arg);
  job->result = (*job->body)();
  return nullptr;
}

}  // namespace

int run_with_stack(std::size_t bytes, const std::function<int()>& body) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, bytes);
  Job job{&body};
  pthread_t thread;
  if (pthread_create(&thread, &attr, trampoline, &job) != 0) {
    pthread_attr_destroy(&attr);
    return body();  // no thread: run on the main stack, still within the parser's depth limit
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return job.result;
}

}  // namespace napier
