using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform;

/// <summary>
/// A directory held open: where the library creates, renames and removes names. On Unix every such operation goes
/// through the descriptor (openat, renameat, unlinkat), so the directory that was checked is the directory that is used,
/// whatever another process renames or links along its path in the meantime. Windows has no such calls; there it holds
/// only the path.
/// </summary>
internal sealed class DirectoryHandle : IDisposable
{
    private readonly SafeFileHandle? _handle;

    internal DirectoryHandle(string path, SafeFileHandle? handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>A path that named the directory when it was opened: for messages, and for platforms without handles.</summary>
    internal string Path { get; }

    /// <summary>The open descriptor (Unix only).</summary>
    internal SafeFileHandle Handle => _handle ?? throw new InvalidOperationException("This platform does not hold directories open.");

    /// <summary>The path of <paramref name="name"/> in this directory, for messages and path-based platforms.</summary>
    internal string Join(string name) => System.IO.Path.Join(Path, name);

    public void Dispose() => _handle?.Dispose();
}
