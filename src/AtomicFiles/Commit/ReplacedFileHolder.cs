using AtomicFiles.Platform;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Commit;

/// <summary>
/// Keeps open each file a commit's rename or delete is about to drop, until the commit is done: the file's inode is
/// then freed when it is closed, not inside the rename or delete, and not in the journal commit a directory flush
/// waits for; closed all at once, the frees of many files overlap. One rule decides, for a single write and a
/// transaction alike: <see cref="For"/> gives a commit a holder only when holding pays. Where the platform cannot hold
/// a file nothing is held.
/// </summary>
/// <remarks>
/// Holding costs an open and a close of the user's file, which scanners on fanotify see and which is a round trip on
/// network and FUSE filesystems; it pays only when the frees it moves are expensive. The measurements behind the rule:
/// docs/performance.md, "Holding replaced files open".
/// </remarks>
internal sealed class ReplacedFileHolder : IDisposable
{
    /// <summary>
    /// Each held file costs a descriptor on top of the staged temps' own; past this many the rest are freed in their
    /// renames, so a huge transaction cannot run the process out of descriptors (and then fail to open a directory for
    /// its flush after the commit point).
    /// </summary>
    internal const int MaxHeld = 1024;

    /// <summary>From this much new content a single replaced file is usually large enough for its free to matter.</summary>
    internal const long LargeCommitBytes = 4 * 1024 * 1024;

    private readonly FileSystemPlatform _platform = FileSystemPlatform.Current;
    private SafeFileHandle? _first;
    private List<SafeFileHandle>? _more;

    /// <summary>How many files are held.</summary>
    internal int Count => (_first is null ? 0 : 1) + (_more?.Count ?? 0);

    /// <summary>
    /// The rule: a holder when the commit drops several files (their frees can then overlap instead of running one
    /// after another inside the renames) or publishes a large one (its free would otherwise join the directory flush's
    /// journal commit); none for a single small replace, which frees little, where holding would only add the open and
    /// close.
    /// </summary>
    /// <param name="files">How many files the commit replaces or deletes.</param>
    /// <param name="bytes">How many bytes of new content the commit publishes.</param>
    internal static ReplacedFileHolder? For(int files, long bytes) => files > 1 || bytes >= LargeCommitBytes ? new ReplacedFileHolder() : null;

    /// <summary>Opens <paramref name="fileName"/> in <paramref name="directory"/>, if it is there, before it is renamed over or deleted.</summary>
    internal void Hold(DirectoryHandle directory, string fileName)
    {
        if (Count >= MaxHeld || _platform.KeepReplacedFileOpen(directory, fileName) is not { } handle)
        {
            return;
        }

        if (_first is null)
        {
            _first = handle;
        }
        else
        {
            (_more ??= []).Add(handle);
        }
    }

    /// <summary>Closes every held file, all at once: each close frees an inode, and those frees overlap.</summary>
    public void Dispose()
    {
        if (_more is { } more)
        {
            more.Add(_first!);
            IoThreads.ForEach(more, handle => handle.Dispose());
            _more = null;
        }
        else
        {
            _first?.Dispose();
        }

        _first = null;
    }
}
