namespace AtomicFiles.Tests.Support;

/// <summary>
/// A tmpfs of a few KiB mounted for one test, so that writes fail with a real ENOSPC part-way through. Disposing it
/// unmounts it (lazily, so a handle a failed test left open cannot keep it mounted) and removes the mount point.
/// </summary>
internal sealed class TinyTmpfs : IDisposable
{
    internal TinyTmpfs(string mountPoint, int kibibytes = 64)
    {
        Path = Directory.CreateDirectory(mountPoint).FullName;
        Command.Run("mount", "-t", "tmpfs", "-o", $"size={kibibytes}k", "tmpfs", Path);
    }

    internal string Path { get; }

    internal string File(string name) => System.IO.Path.Join(Path, name);

    /// <summary>Everything in the filesystem's root, including hidden temps, journals and lock files, as names.</summary>
    internal string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        Command.Run("umount", "--lazy", Path);
        Directory.Delete(Path);
    }
}
