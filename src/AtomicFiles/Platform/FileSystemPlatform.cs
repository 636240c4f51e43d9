using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform;

/// <summary>
/// The few operating-system calls the commit protocol is made of. One implementation per OS family, chosen once;
/// everything above this class is platform-neutral. Names are acted on relative to a <see cref="DirectoryHandle"/>,
/// so what was resolved and checked is what is written.
/// </summary>
internal abstract class FileSystemPlatform
{
    internal static FileSystemPlatform Current { get; } = OperatingSystem.IsWindows()
        ? new Windows.WindowsFileSystem()
        : new Unix.UnixFileSystem();

    /// <summary>Opens the directory at the absolute <paramref name="path"/>, resolved by the kernel (links followed, <c>..</c> taken physically).</summary>
    /// <exception cref="DirectoryNotFoundException">Nothing there, or not a directory.</exception>
    internal abstract DirectoryHandle OpenDirectory(string path);

    /// <summary>Opens <paramref name="relativePath"/> (links followed, <c>..</c> physical) starting from <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">Nothing there, or not a directory.</exception>
    internal abstract DirectoryHandle OpenDirectory(DirectoryHandle directory, string relativePath);

    /// <summary>Opens the subdirectory <paramref name="name"/> only if it is a real directory, not a symbolic link; <see langword="null"/> otherwise.</summary>
    internal abstract DirectoryHandle? OpenSubdirectoryNoFollow(DirectoryHandle directory, string name);

    /// <summary>The directory's path as the kernel knows it: no symbolic link, no <c>..</c>.</summary>
    internal abstract string PhysicalPath(DirectoryHandle directory);

    /// <summary>The directory's own status (its filesystem, owner and mode).</summary>
    internal abstract ExistingFile StatusOf(DirectoryHandle directory);

    /// <summary>What is at <paramref name="name"/> in <paramref name="directory"/>, without following a symbolic link; <see langword="null"/> if nothing.</summary>
    internal abstract ExistingFile? Inspect(DirectoryHandle directory, string name);

    /// <summary>What is at the absolute <paramref name="path"/>, without following a final symbolic link; <see langword="null"/> if nothing or its directory is missing.</summary>
    internal ExistingFile? Inspect(string path)
    {
        if (Path.GetDirectoryName(path) is not { } directoryPath)
        {
            using var root = OpenDirectory(path);
            return StatusOf(root);
        }

        try
        {
            using var directory = OpenDirectory(directoryPath);
            return Inspect(directory, Path.GetFileName(path));
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Opens the regular file <paramref name="name"/> for reading; <see langword="null"/> if nothing is there. A symbolic
    /// link is followed only if <paramref name="followLink"/>.
    /// </summary>
    /// <exception cref="IOException">Something other than a regular file is there (or a link, when not following).</exception>
    internal abstract SafeFileHandle? OpenForReading(DirectoryHandle directory, string name, bool followLink);

    /// <summary>The target text of the symbolic link <paramref name="name"/>.</summary>
    internal abstract string ReadLink(DirectoryHandle directory, string name);

    /// <summary>
    /// Throws <see cref="UnauthorizedAccessException"/> unless the symbolic link <paramref name="link"/> may be followed:
    /// where other users may plant links, only links they could not have planted are followed.
    /// </summary>
    internal abstract void ThrowIfLinkNotFollowable(DirectoryHandle directory, string name, ExistingFile link);

    /// <summary>Throws <see cref="PathTooLongException"/> if the OS cannot hold a file of this name.</summary>
    internal abstract void ValidateFileName(string fileName, string path);

    /// <summary>Throws <see cref="UnauthorizedAccessException"/> if the existing file is read-only: to this process, or to everyone (root included).</summary>
    internal abstract void ThrowIfReadOnly(DirectoryHandle directory, string name, ExistingFile existing);

    /// <summary>
    /// Creates <paramref name="tempName"/> exclusively, with permissions never wider than the final file's, and locks
    /// it for this writer's lifetime so recovery never deletes it. Returns <see langword="null"/> if the name is taken.
    /// </summary>
    /// <param name="directory">Where both the temp and its target are.</param>
    /// <param name="tempName">The temp's name.</param>
    /// <param name="targetName">The name the temp will be published as: where Windows reads the security descriptor and attributes to keep.</param>
    /// <param name="replaced">What is at <paramref name="targetName"/> now, if anything.</param>
    /// <param name="options">How to write.</param>
    internal abstract SafeFileHandle? TryCreateTemp(DirectoryHandle directory, string tempName, string targetName, ExistingFile? replaced, AtomicFileOptions options);

    /// <summary>Forces the file's data to stable storage and reports any failure (never swallowed, never retried).</summary>
    internal abstract void FlushFile(SafeFileHandle handle, string path);

    /// <summary>
    /// Atomically replaces <paramref name="targetName"/> (or creates it) with <paramref name="tempName"/>, both in
    /// <paramref name="directory"/>; through <paramref name="temp"/>, the writer's handle on the temp, where the platform
    /// renames by handle (Windows: no instant leaves the temp unheld for a sweep), else by name.
    /// </summary>
    internal abstract void Replace(DirectoryHandle directory, string tempName, string targetName, AtomicFileOptions options, SafeFileHandle? temp = null);

    /// <summary>
    /// Atomically moves <paramref name="tempName"/> to <paramref name="targetName"/> only if nothing is there; false if
    /// something is. Once it has published, it reports success: a leftover second name is only litter.
    /// </summary>
    internal abstract bool TryPublishNew(DirectoryHandle directory, string tempName, string targetName, AtomicFileOptions options, SafeFileHandle? temp = null);

    /// <summary>
    /// Opens the regular file <paramref name="name"/>, which a rename is about to replace, so that its inode outlives
    /// the rename until the handle is closed; <see langword="null"/> where that is not possible or not useful.
    /// </summary>
    internal virtual SafeFileHandle? KeepReplacedFileOpen(DirectoryHandle directory, string name) => null;

    /// <summary>Opens <paramref name="name"/> in <paramref name="directory"/> to read it, without following a link (Unix) or blocking on a FIFO.</summary>
    /// <exception cref="IOException">Opening failed.</exception>
    /// <exception cref="UnauthorizedAccessException">This process may not read it.</exception>
    internal abstract SafeFileHandle OpenToRead(DirectoryHandle directory, string name);

    /// <summary>Makes the directory's entries (a rename, a delete) durable. A no-op where the OS does that itself.</summary>
    internal abstract void FlushDirectory(DirectoryHandle directory);

    /// <summary>Makes the entries of the directory at <paramref name="directory"/> durable.</summary>
    internal void FlushDirectory(string directory)
    {
        using var handle = OpenDirectory(directory);
        FlushDirectory(handle);
    }

    /// <summary>Removes <paramref name="name"/> (a symbolic link itself, never its target); nothing there is not an error.</summary>
    internal abstract void DeleteFile(DirectoryHandle directory, string name);

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
