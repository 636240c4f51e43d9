using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform;

/// <summary>
/// The few operating-system calls the commit protocol is made of. One implementation per OS family, chosen once;
/// everything above this class is platform-neutral.
/// </summary>
internal abstract class FileSystemPlatform
{
    internal static FileSystemPlatform Current { get; } = OperatingSystem.IsWindows()
        ? new Windows.WindowsFileSystem()
        : new Unix.UnixFileSystem();

    /// <summary>
    /// Lets go of what the writer holds on its temp before the rename publishes it, where holding it would get in the
    /// way: Windows cannot rename a file open without FILE_SHARE_DELETE. Unix keeps its lock to the close, as one no
    /// reader of the published file meets (see <c>Unix.LivenessLock</c>).
    /// </summary>
    internal abstract void ReleaseBeforeRename(SafeFileHandle handle, string tempPath);

    /// <summary>What is at <paramref name="path"/>, without following a final symbolic link; <see langword="null"/> if nothing.</summary>
    internal abstract ExistingFile? Inspect(string path);

    /// <summary>Throws <see cref="PathTooLongException"/> if the OS cannot hold a file of this name.</summary>
    internal abstract void ValidateFileName(string fileName, string path);

    /// <summary>Throws <see cref="UnauthorizedAccessException"/> if the existing file at <paramref name="path"/> is read-only to this process.</summary>
    internal abstract void ThrowIfReadOnly(string path);

    /// <summary>
    /// Creates <paramref name="tempPath"/> exclusively, with permissions never wider than the final file's, and locks
    /// it for this writer's lifetime so recovery never deletes it. Returns <see langword="null"/> if the name is taken.
    /// </summary>
    internal abstract SafeFileHandle? TryCreateTemp(string tempPath, ExistingFile? replaced, AtomicFileOptions options);

    /// <summary>Forces the file's data to stable storage and reports any failure (never swallowed, never retried).</summary>
    internal abstract void FlushFile(SafeFileHandle handle, string path);

    /// <summary>Atomically replaces <paramref name="targetPath"/> (or creates it) with <paramref name="tempPath"/>.</summary>
    internal abstract void Replace(string tempPath, string targetPath, AtomicFileOptions options);

    /// <summary>Atomically moves <paramref name="tempPath"/> to <paramref name="targetPath"/> only if nothing is there; false if something is.</summary>
    internal abstract bool TryPublishNew(string tempPath, string targetPath, AtomicFileOptions options);

    /// <summary>
    /// Opens the regular file at <paramref name="targetPath"/>, which a rename is about to replace, so that its inode
    /// outlives the rename until the handle is closed; <see langword="null"/> where that is not possible or not useful.
    /// </summary>
    internal virtual SafeFileHandle? KeepReplacedFileOpen(string targetPath) => null;

    /// <summary>Makes the directory's entries (a rename, a delete) durable. A no-op where the OS does that itself.</summary>
    internal abstract void FlushDirectory(string directory);

    /// <summary>Removes <paramref name="path"/>; nothing there is not an error.</summary>
    internal abstract void DeleteFile(string path);

    /// <summary>
    /// Finds out whether the temp file at <paramref name="tempPath"/> is orphaned — no live writer holds its lock —
    /// and, if <paramref name="remove"/>, deletes it while holding that lock, so a writer that is still alive never
    /// loses its temp.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">This process may not open or delete the file.</exception>
    internal abstract TempFileState CheckTemp(string tempPath, bool remove);
}
