using AtomicFiles.Platform;

namespace AtomicFiles.Locking;

/// <summary>
/// The sidecar lock file <see cref="AtomicFile.Update"/> holds beside its target: <c>.{name}.lock</c>. It never has the
/// temp pattern (<see cref="TempFileName.IsTempFileName"/>), so recovery never deletes it, and it stays after the
/// update: deleting a lock file would let a waiter lock an unlinked inode while a newcomer locks a fresh one.
/// </summary>
internal static class LockFileName
{
    private const string Suffix = ".lock";

    /// <summary>The lock file name for <paramref name="targetName"/>, shortened like a temp name to fit NAME_MAX.</summary>
    /// <remarks>Two very long names that share their first 249 bytes share a lock: that only serializes them more.</remarks>
    internal static string For(string targetName) =>
        "." + TempFileName.Shorten(targetName, TempFileName.NameMaxBytes - 1 - Suffix.Length) + Suffix;
}
