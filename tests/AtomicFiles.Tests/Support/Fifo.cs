using AtomicFiles.Platform.Interop.Unix;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Tests.Support;

/// <summary>A watchdog for operations that must not block on a FIFO an attacker planted.</summary>
internal static class Fifo
{
    /// <summary>How long an operation may take before it counts as hung: a failure bound, never a measurement.</summary>
    internal static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Waits for <paramref name="operation"/>; if the watchdog expires first, opens <paramref name="fifo"/> from both
    /// ends so whatever blocked on it wakes, and returns false. The operation has ended either way when this returns.
    /// </summary>
    internal static bool WaitOrUnblock(Task operation, string fifo)
    {
        if (((IAsyncResult)operation).AsyncWaitHandle.WaitOne(Watchdog))
        {
            return true;
        }

        // A reader blocked in open(O_RDONLY) wakes when a writer opens; a writer blocked in open(O_WRONLY) when a reader does.
        using (Interop.Sys.Open(fifo, Interop.OpenFlags.O_RDONLY | Interop.OpenFlags.O_NONBLOCK, 0))
        using (Interop.Sys.Open(fifo, Interop.OpenFlags.O_WRONLY | Interop.OpenFlags.O_NONBLOCK, 0))
        {
        }

        ((IAsyncResult)operation).AsyncWaitHandle.WaitOne(Watchdog);
        return false;
    }
}
