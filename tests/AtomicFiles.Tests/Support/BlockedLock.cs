using System.Globalization;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// The kernel's table of file locks, /proc/locks, where a lock request that waits for another holder stands as a "->"
/// line under it: the signal that a blocking lock call is now waiting, with no delay to guess how long that takes.
/// </summary>
internal static class BlockedLock
{
    /// <summary>
    /// Waits until a lock request on <paramref name="path"/> is blocked in the kernel, or until <paramref name="work"/>
    /// finishes first; returns whether the request was seen blocked. A call that never waits finishes first.
    /// </summary>
    internal static bool SeenBefore(string path, Task work)
    {
        var id = FileId(path);
        var spin = default(SpinWait);
        while (!work.IsCompleted)
        {
            if (File.ReadLines("/proc/locks").Any(line => line.Contains(" -> ", StringComparison.Ordinal) && line.Contains(id, StringComparison.Ordinal)))
            {
                return true;
            }

            spin.SpinOnce();
        }

        return false;
    }

    /// <summary>The file as /proc/locks names it: " MAJOR:MINOR:INODE ", the device numbers in hex, read by stat(1).</summary>
    private static string FileId(string path)
    {
        var fields = Command.Run("stat", "--format=%Hd %Ld %i", "--", path).Split(' ', StringSplitOptions.TrimEntries);
        var major = int.Parse(fields[0], CultureInfo.InvariantCulture);
        var minor = int.Parse(fields[1], CultureInfo.InvariantCulture);
        return $" {major:x2}:{minor:x2}:{fields[2]} ";
    }
}
