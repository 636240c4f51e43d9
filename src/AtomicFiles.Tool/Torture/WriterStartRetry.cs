using System.ComponentModel;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// Starting a writer process can fail for a moment (EAGAIN at a process limit; Wine's CreateProcess "Internal error"
/// under load). That is neither the library's failure nor a reason to throw away a long run: a start is tried
/// <see cref="Attempts"/> times, a short pause apart, and only a failure that persists ends the run, with the system's error.
/// </summary>
internal static class WriterStartRetry
{
    internal const int Attempts = 3;

    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(200);

    /// <summary>Returns what <paramref name="start"/> returns, calling <paramref name="onRetry"/> before each further attempt.</summary>
    /// <exception cref="Win32Exception">The last attempt failed too.</exception>
    internal static T Run<T>(Func<T> start, Action onRetry)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return start();
            }
            catch (Win32Exception) when (attempt < Attempts)
            {
                onRetry();
                Thread.Sleep(s_pause);
            }
        }
    }
}
