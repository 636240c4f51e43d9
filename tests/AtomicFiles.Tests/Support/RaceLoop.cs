namespace AtomicFiles.Tests.Support;

/// <summary>
/// A loop on its own thread that races a test's main work until stopped. Not a thread-pool task: on a busy pool (the
/// suite runs test classes in parallel) such a task once started only after the work it was to race had finished, and
/// a control test then saw nothing to catch.
/// </summary>
internal static class RaceLoop
{
    /// <summary>
    /// Runs <paramref name="iteration"/> over and over until <paramref name="stop"/> is cancelled; returns once the loop
    /// has begun. The task ends with the loop, faulted if an iteration threw.
    /// </summary>
    internal static Task Start(Action iteration, CancellationToken stop)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = Task.Factory.StartNew(
            () =>
            {
                started.SetResult();
                while (!stop.IsCancellationRequested)
                {
                    iteration();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        started.Task.Wait(CancellationToken.None);
        return loop;
    }
}
