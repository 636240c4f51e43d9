using AtomicFiles.Commit;
using AtomicFiles.Platform;

namespace AtomicFiles.Transactions;

/// <summary>
/// The directory a transaction is confined to: where its lock and journal live, and the judge of which paths a
/// transaction may touch — only files physically inside it, on its filesystem.
/// </summary>
internal sealed class TransactionRoot
{
    /// <summary>The lock file that serializes transactions in one root. Kept after use (see <see cref="Locking.FileLock"/>).</summary>
    internal const string LockFileName = ".atomicfiles-transaction.lock";

    /// <summary>The journal of the transaction in progress; its presence after a crash means recovery has work to do.</summary>
    internal const string JournalFileName = ".atomicfiles-transaction.journal";

    private static readonly StringComparison s_pathComparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
        ? StringComparison.OrdinalIgnoreCase
        : StringComparison.Ordinal;

    private readonly string _givenPath;
    private readonly ulong _device;

    // Directory → its real path, for the directories already confined. A transaction typically stages many files in
    // few directories; resolving each file's directory again took one readlink per path component and a statx
    // (≈ 10 syscalls a file here). The check guards against mistakes, not against a concurrent attacker: it was
    // never atomic with the rename at commit, so checking a directory once per transaction is as strong.
    private readonly Dictionary<string, string> _confinedDirectories = new(PathComparer);

    private TransactionRoot(string givenPath, string fullPath, ulong device)
    {
        _givenPath = givenPath;
        FullPath = fullPath;
        _device = device;
    }

    /// <summary>The root with every symbolic link resolved.</summary>
    internal string FullPath { get; }

    internal string LockPath => Path.Join(FullPath, LockFileName);

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
        if (!Directory.Exists(given))
        {
            throw new DirectoryNotFoundException($"The transaction root '{given}' does not exist or is not a directory.");
        }

        var real = RealPath.OfDirectory(given);
        var device = FileSystemPlatform.Current.Inspect(real)?.Device
            ?? throw new DirectoryNotFoundException($"The transaction root '{given}' disappeared.");
        return new TransactionRoot(given, real, device);
    }

    /// <summary>
    /// The absolute form of <paramref name="path"/>, which is taken relative to the root when it is relative, refused
    /// if it names the root itself or lies outside it.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty, names a directory, or lies outside the root.</exception>
    internal string Absolute(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.EndsInDirectorySeparator(path))
        {
            throw new ArgumentException($"'{path}' ends with a directory separator; a transaction writes and deletes files.", nameof(path));
        }

        var full = Path.GetFullPath(path, _givenPath);
        if (!IsStrictlyInside(full, _givenPath) && !IsStrictlyInside(full, FullPath))
        {
            throw new ArgumentException($"'{path}' is outside the transaction root '{_givenPath}'; a transaction only touches files under its root.", nameof(path));
        }

        return full;
    }

    /// <summary>
    /// Checks that a file whose directory is <paramref name="directory"/> physically lies inside the root and on its
    /// filesystem, and returns its path relative to the root — the form the journal records.
    /// </summary>
    /// <exception cref="ArgumentException">A symbolic link leads outside the root.</exception>
    /// <exception cref="IOException">The directory is on another filesystem (a mount point inside the root).</exception>
    internal string Confine(string path, string directory, string fileName)
    {
        if (!_confinedDirectories.TryGetValue(directory, out var realDirectory))
        {
            realDirectory = ConfineDirectory(path, directory);
            _confinedDirectories.Add(directory, realDirectory);
        }

        var relative = Path.GetRelativePath(FullPath, Path.Join(realDirectory, fileName));
        if (PathComparer.Equals(relative, JournalFileName) || PathComparer.Equals(relative, LockFileName))
        {
            throw new ArgumentException($"'{path}' is the transaction's own {(relative == LockFileName ? "lock" : "journal")} file; a transaction cannot write or delete it.", nameof(path));
        }

        return relative;
    }

    /// <summary>The real path of <paramref name="directory"/>, checked to lie inside the root and on its filesystem.</summary>
    private string ConfineDirectory(string path, string directory)
    {
        var realDirectory = RealPath.OfDirectory(directory);
        if (!IsInsideOrSame(realDirectory, FullPath))
        {
            throw new ArgumentException(
                $"'{path}' leads outside the transaction root '{_givenPath}' through a symbolic link (its directory is '{realDirectory}').", nameof(path));
        }

        var device = FileSystemPlatform.Current.Inspect(realDirectory)?.Device
            ?? throw new DirectoryNotFoundException($"Could not find the directory '{directory}'.");
        if (device != _device)
        {
            throw new IOException(
                $"'{path}' is on another filesystem than the transaction root '{_givenPath}' (a mount point inside it); "
                + "its rename could not be atomic with the others.");
        }

        return realDirectory;
    }

    /// <summary>
    /// Resolves a path read from a journal — relative, and untrusted if the journal was tampered with — to the file it
    /// names, or <see langword="null"/> if it would lead anywhere but a file inside the root.
    /// </summary>
    internal string? FromJournal(string relativePath)
    {
        if (relativePath.Length == 0 || Path.IsPathRooted(relativePath))
        {
            return null;
        }

        var full = Path.GetFullPath(relativePath, FullPath);
        if (!IsStrictlyInside(full, FullPath) || Path.GetDirectoryName(full) is not { } directory || !Directory.Exists(directory))
        {
            return null;
        }

        try
        {
            _ = Confine(full, directory, Path.GetFileName(full));
            return full;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Resolves, validates and confines a file a transaction will write.</summary>
    internal (ResolvedTarget Target, string Relative) ResolveWrite(string path, AtomicFileOptions options)
    {
        var target = ResolvedTarget.Resolve(Absolute(path), options);

        // The symlink policy may have followed a link to its target: that is the file that gets replaced, so it is what must stay inside.
        if (!IsStrictlyInside(target.FullPath, _givenPath) && !IsStrictlyInside(target.FullPath, FullPath))
        {
            throw new ArgumentException($"'{path}' is a symbolic link to '{target.FullPath}', outside the transaction root '{_givenPath}'.", nameof(path));
        }

        return (target, Confine(path, target.Directory, target.FileName));
    }

    private static bool IsStrictlyInside(string fullPath, string directory)
    {
        var prefix = Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
        return fullPath.Length > prefix.Length && fullPath.StartsWith(prefix, s_pathComparison);
    }

    private static bool IsInsideOrSame(string fullPath, string directory) =>
        string.Equals(fullPath, directory, s_pathComparison) || IsStrictlyInside(fullPath, directory);
}
