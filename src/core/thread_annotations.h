// Clang's thread-safety analysis (-Wthread-safety), as LevelDB's port/thread_annotations.h: a
// member GUARDED_BY a mutex may be touched only with that mutex held, and the compiler checks
// it. The macros are empty under other compilers. core/mutex.h gives the annotated mutexes.
#pragma once

#if defined(__clang__)
#define PARKHUB_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define PARKHUB_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(name) PARKHUB_THREAD_ANNOTATION(capability(name))
#define SCOPED_CAPABILITY PARKHUB_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(m) PARKHUB_THREAD_ANNOTATION(guarded_by(m))
#define PT_GUARDED_BY(m) PARKHUB_THREAD_ANNOTATION(pt_guarded_by(m))
#define REQUIRES(...) PARKHUB_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) PARKHUB_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
#define ACQUIRE(...) PARKHUB_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) PARKHUB_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) PARKHUB_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) PARKHUB_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) PARKHUB_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))
#define EXCLUDES(...) PARKHUB_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS PARKHUB_THREAD_ANNOTATION(no_thread_safety_analysis)
