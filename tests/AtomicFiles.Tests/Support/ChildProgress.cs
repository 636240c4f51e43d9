using System.Diagnostics;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// Waits for a child process to reach a state the test can observe from outside (a temp written, a lock taken), when
/// the child has no way to say so itself. The check is polled; the minute is only a guard against a child that hangs.
/// </summary>
internal static class ChildProgress
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromMinutes(1);

    /// <summary>Returns once <paramref name="reached"/> holds; kills the child and throws with its standard error if it exits or hangs first.</summary>
    internal static void WaitUntil(Process child, Func<bool> reached, string what)
    {
        var guard = Stopwatch.StartNew();
        while (!reached())
        {
            if (child.HasExited || guard.Elapsed > s_hangGuard)
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                    child.WaitForExit();
                }

                throw new InvalidOperationException($"The child process never {what}: {child.StandardError.ReadToEnd()}");
            }

            Thread.Sleep(10);
        }
    }
}
