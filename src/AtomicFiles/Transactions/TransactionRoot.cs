using AtomicFiles.Commit;
using AtomicFiles.Platform;

namespace AtomicFiles.Transactions;

/// <summary>
/// The directory a transaction is confined to: where its lock and journal live, and the judge of which paths a
/// transaction may touch — only files physically inside it, on its filesystem. It judges by what the kernel resolves
/// (the directory each file is created, renamed or deleted in is held open, and its physical path read back from the
/// kernel), never by the text of a path.
/// </summary>
internal sealed class TransactionRoot : IDisposable
{
    /// <summary>The lock file that serializes transactions in one root. Kept after use (see <see cref="Locking.LockFileLock"/>).</summary>
    internal const string LockFileName = ".atomicfiles-transaction.lock";

    /// <summary>The journal of the transaction in progress; its presence after a crash means recovery has work to do.</summary>
    internal const string JournalFileName = ".atomicfiles-transaction.journal";

    private static readonly StringComparison s_pathComparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
        ? StringComparison.OrdinalIgnoreCase
        : StringComparison.Ordinal;

    private readonly FileSystemPlatform _platform = FileSystemPlatform.Current;
    private readonly string _givenPath;
    private readonly DirectoryHandle _directory;
    private readonly ulong _device;

    private TransactionRoot(string givenPath, DirectoryHandle directory, string fullPath, ulong device)
    {
        _givenPath = givenPath;
        _directory = directory;
        FullPath = fullPath;
        _device = device;
    }

    /// <summary>The root's physical path: every symbolic link resolved, by the kernel.</summary>
    internal string FullPath { get; }

    /// <summary>The root itself, held open: its lock file is opened and its journal renamed through it.</summary>
    internal DirectoryHandle Directory => _directory;

    internal string JournalPath => Path.Join(FullPath, JournalFileName);

    /// <summary>Compares paths the way the platform's usual filesystem does (case-insensitively on Windows and macOS).</summary>
    internal static StringComparer PathComparer { get; } = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
        ? StringComparer.OrdinalIgnoreCase
        : StringComparer.Ordinal;

    /// <exception cref="DirectoryNotFoundException"><paramref name="rootDirectory"/> does not exist or is not a directory.</exception>
    internal static TransactionRoot Open(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        var given = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        var platform = FileSystemPlatform.Current;
        DirectoryHandle directory;
        try
        {
            directory = platform.OpenDirectory(given);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException($"The transaction root '{given}' does not exist or is not a directory.", e);
        }

        try
        {
            return new TransactionRoot(given, directory, platform.PhysicalPath(directory), platform.StatusOf(directory).Device);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The absolute form of <paramref name="path"/>, which is taken relative to the root when it is relative. Where it
    /// really leads is judged by <see cref="ResolveWrite"/> and <see cref="ResolveDelete"/>, by the kernel.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty or names a directory.</exception>
    private string Absolute(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.EndsInDirectorySeparator(path))
        {
            throw new ArgumentException($"'{path}' ends with a directory separator; a transaction writes and deletes files.", nameof(path));
        }

        if (Path.GetFileName(path) is "." or "..")
        {
            throw new ArgumentException($"'{path}' names a directory, not a file under the transaction root '{_givenPath}'; a transaction writes and deletes files.", nameof(path));
        }

        return ResolvedTarget.Absolute(path, _givenPath);
    }

    /// <summary>Resolves, validates and confines a file a transaction will write. The caller owns the target.</summary>
    /// <exception cref="ArgumentException">The file lies outside the root (also through a symbolic link), or is the root's own lock or journal.</exception>
    /// <exception cref="IOException">The file is on another filesystem than the root (a mount point inside it).</exception>
    internal (ResolvedTarget Target, string Relative) ResolveWrite(string path, AtomicFileOptions options)
    {
        var target = ResolvedTarget.Resolve(Absolute(path), options);
        try
        {
            return (target, RelativeInside(path, target.Directory, target.FileName));
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>Resolves, validates and confines a file a transaction will delete: a symbolic link there is deleted itself. The caller owns the directory.</summary>
    /// <exception cref="DirectoryNotFoundException">The file's directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory.</exception>
    /// <inheritdoc cref="ResolveWrite" path="/exception"/>
    internal (DirectoryHandle Directory, string FileName, string Relative) ResolveDelete(string path)
    {
        var fullPath = Absolute(path);
        var directoryPath = Path.GetDirectoryName(fullPath)!;
        var fileName = Path.GetFileName(fullPath);
        DirectoryHandle directory;
        try
        {
            directory = _platform.OpenDirectory(directoryPath);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException($"Could not find the directory '{directoryPath}' to delete '{fileName}' from.", e);
        }

        try
        {
            if (_platform.Inspect(directory, fileName) is { Kind: FileKind.Directory })
            {
                throw new UnauthorizedAccessException($"'{fullPath}' is a directory; a transaction deletes files only.");
            }

            return (directory, fileName, RelativeInside(path, directory, fileName));
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Finds the file a journal names — by a relative path, untrusted if the journal was tampered with — by walking
    /// down from the root one real directory at a time: no symbolic link, no <c>..</c>, nothing outside the root.
    /// Returns <see langword="null"/> if the path leads anywhere else. The caller owns the directory.
    /// </summary>
    internal (DirectoryHandle Directory, string FileName)? OpenFromJournal(string relativePath)
    {
        if (relativePath.Length == 0 || Path.IsPathRooted(relativePath))
        {
            return null;
        }

        var segments = relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (segments.Any(s => s.Length == 0 || s is "." or ".." || s.Contains('\0', StringComparison.Ordinal)))
        {
            return null;
        }

        var fileName = segments[^1];
        if (segments.Length == 1 && IsRootOwnFile(fileName))
        {
            return null;
        }

        var directory = _platform.OpenDirectory(_directory, ".");
        foreach (var segment in segments[..^1])
        {
            var next = _platform.OpenSubdirectoryNoFollow(directory, segment);
            directory.Dispose();
            if (next is null)
            {
                return null;
            }

            directory = next;
        }

        if (_platform.StatusOf(directory).Device != _device)
        {
            directory.Dispose();
            return null;
        }

        return (directory, fileName);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// Checks that <paramref name="fileName"/> in the open <paramref name="directory"/> physically lies inside the root
    /// and on its filesystem, and returns its path relative to the root — the form the journal records.
    /// </summary>
    private string RelativeInside(string path, DirectoryHandle directory, string fileName)
    {
        var realDirectory = _platform.PhysicalPath(directory);
        if (!IsInsideOrSame(realDirectory, FullPath))
        {
            throw new ArgumentException(
                $"'{path}' is outside the transaction root '{_givenPath}' (its directory is '{realDirectory}'); a transaction only touches files under its root.", nameof(path));
        }

        if (_platform.StatusOf(directory).Device != _device)
        {
            throw new IOException(
                $"'{path}' is on another filesystem than the transaction root '{_givenPath}' (a mount point inside it); "
                + "its rename could not be atomic with the others.");
        }

        var relative = Path.GetRelativePath(FullPath, Path.Join(realDirectory, fileName));
        if (IsRootOwnFile(relative))
        {
            throw new ArgumentException($"'{path}' is the transaction's own {(PathComparer.Equals(relative, LockFileName) ? "lock" : "journal")} file; a transaction cannot write or delete it.", nameof(path));
        }

        return relative;
    }

    private static bool IsRootOwnFile(string relative) =>
        PathComparer.Equals(relative, JournalFileName) || PathComparer.Equals(relative, LockFileName);

    private static bool IsStrictlyInside(string fullPath, string directory)
    {
        var prefix = Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
        return fullPath.Length > prefix.Length && fullPath.StartsWith(prefix, s_pathComparison);
    }

    private static bool IsInsideOrSame(string fullPath, string directory) =>
        string.Equals(fullPath, directory, s_pathComparison) || IsStrictlyInside(fullPath, directory);
}
