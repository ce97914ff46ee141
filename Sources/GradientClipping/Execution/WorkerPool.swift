import Synchronization

#if canImport(Dispatch)
  import Dispatch
#endif

/// A pool of worker threads that stay awake for a moment after each job, so that the short
/// parallel loops of clipping (tens to hundreds of microseconds) start on all cores at once.
///
/// The threads are Dispatch's: each worker is one long-running block on its own serial queue.
/// What is not Dispatch's is how a loop reaches them. `concurrentPerform` wakes its workers on
/// demand; on Linux a loop of a few hundred microseconds often finishes on the calling thread
/// before a worker arrives, which halves the speed of a two-core machine. Here, workers spin on
/// a generation counter for about a millisecond after each job (as OpenMP runtimes do), then
/// sleep on a semaphore. Where Dispatch is missing, the pool has no workers and every loop runs
/// on its caller.
///
/// The tasks are split into one contiguous share per thread, and a worker takes the same share
/// on every call, so the part of the data it touched last time may still be in its own cache.
/// A share whose worker has not arrived (asleep, or busy elsewhere) is taken by a thread that
/// has finished its own. Every task computes the same thing wherever it runs, so results never
/// depend on the split.
///
/// One job runs at a time; a caller that finds the pool busy (a nested or concurrent call) runs
/// its tasks on its own thread.
package final class WorkerPool: Sendable {
  /// One pool for the process, with a worker for every core but the caller's.
  #if canImport(Dispatch)
    package static let shared = WorkerPool(workerCount: Parallelism.activeCores - 1)
  #else
    package static let shared = WorkerPool(workerCount: 0)
  #endif

  private let workerCount: Int
  private let generation = Atomic<Int>(0)
  private let sleepers = Atomic<Int>(0)
  private let busy = Atomic<Bool>(false)
  private let current = Mutex<Job?>(nil)
  #if canImport(Dispatch)
    private let wakeUp = DispatchSemaphore(value: 0)
  #endif

  /// How long an idle worker spins before it sleeps, in polls of the generation counter.
  private static let spinPolls = 1 << 18

  private init(workerCount: Int) {
    self.workerCount = max(0, workerCount)
    for index in 0..<self.workerCount { startWorker(index: index) }
  }

  /// Runs `body(task)` for every task in `0..<taskCount`, on the caller and up to
  /// `maxThreads - 1` workers, and returns when all have finished.
  package func run(taskCount: Int, maxThreads: Int, _ body: (Int) -> Void) {
    guard taskCount > 1, maxThreads > 1, workerCount > 0,
      busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    else {
      for task in 0..<taskCount { body(task) }
      return
    }
    defer { busy.store(false, ordering: .releasing) }
    withoutActuallyEscaping(body) { body in
      let job = Job(taskCount: taskCount, participants: min(maxThreads, workerCount + 1, 64), body: body)
      publish(job)
      job.work(preferredShare: 0)
      job.waitUntilFinished()
      current.withLock { $0 = nil }
      job.waitUntilReleased()
      // Workers may keep a reference to the job a moment longer; the closure must not outlive
      // this call.
      job.releaseBody()
    }
  }

  private func publish(_ job: Job) {
    current.withLock { $0 = job }
    generation.add(1, ordering: .sequentiallyConsistent)
    #if canImport(Dispatch)
      for _ in 0..<min(sleepers.load(ordering: .sequentiallyConsistent), job.participants - 1) { wakeUp.signal() }
    #endif
  }

  private func startWorker(index: Int) {
    #if canImport(Dispatch)
      DispatchQueue(label: "gradclip.worker.\(index + 1)", qos: .userInitiated).async { [self] in
        workerLoop(index: index)
      }
    #endif
  }

  /// Worker `index` takes share `index + 1` of every job it joins (share 0 is the caller's).
  private func workerLoop(index: Int) -> Never {
    var seen = generation.load(ordering: .acquiring)
    while true {
      seen = waitForNewGeneration(after: seen)
      let job = current.withLock { job -> Job? in job?.join(share: index + 1) == true ? job : nil }
      guard let job else { continue }
      job.work(preferredShare: index + 1)
      job.leave()
    }
  }

  /// Spins, then sleeps, until the generation moves past `seen`; returns the new generation.
  private func waitForNewGeneration(after seen: Int) -> Int {
    while true {
      for _ in 0..<Self.spinPolls {
        let now = generation.load(ordering: .acquiring)
        if now != seen { return now }
      }
      sleepers.add(1, ordering: .sequentiallyConsistent)
      let now = generation.load(ordering: .sequentiallyConsistent)
      #if canImport(Dispatch)
        if now == seen { wakeUp.wait() }
      #endif
      sleepers.subtract(1, ordering: .sequentiallyConsistent)
      if now != seen { return now }
    }
  }
}

/// One parallel loop: its tasks cut into one contiguous share per participant, which shares
/// are taken, and how many are done.
private final class Job: Sendable {
  let taskCount: Int
  /// The caller and the workers that may help; at most 64 (the shares are bits of one word).
  let participants: Int
  // Written before the job is published and cleared after every helper has left.
  nonisolated(unsafe) private var body: ((Int) -> Void)?
  private let takenShares = Atomic<Int>(0)
  private let finishedShares = Atomic<Int>(0)
  private let active = Atomic<Int>(0)

  init(taskCount: Int, participants: Int, body: @escaping (Int) -> Void) {
    self.taskCount = taskCount
    self.participants = participants
    self.body = body
  }

  /// Called under the pool's lock: whether the worker whose share is `share` takes part.
  func join(share: Int) -> Bool {
    guard share < participants else { return false }
    active.add(1, ordering: .acquiring)
    return true
  }

  func leave() { active.subtract(1, ordering: .releasing) }

  /// Runs `preferredShare` if no one has taken it, then any share still untaken.
  func work(preferredShare: Int) {
    if take(preferredShare) { run(preferredShare) }
    for share in 0..<participants where take(share) { run(share) }
  }

  private func take(_ share: Int) -> Bool {
    let bit = 1 << share
    return takenShares.bitwiseOr(bit, ordering: .acquiringAndReleasing).oldValue & bit == 0
  }

  private func run(_ share: Int) {
    if let body {
      for task in (taskCount * share / participants)..<(taskCount * (share + 1) / participants) { body(task) }
    }
    finishedShares.add(1, ordering: .releasing)
  }

  func waitUntilFinished() {
    while finishedShares.load(ordering: .acquiring) < participants {}
  }

  /// Waits until no worker still holds the job (they finish their last share quickly).
  func waitUntilReleased() {
    while active.load(ordering: .acquiring) > 0 {}
  }

  func releaseBody() { body = nil }
}
