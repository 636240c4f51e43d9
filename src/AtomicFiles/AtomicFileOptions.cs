using AtomicFiles.FaultInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AtomicFiles;

/// <summary>Settings for an atomic write. Immutable; every property has a documented default.</summary>
/// <example>
/// <code>
/// var options = new AtomicFileOptions { Durability = Durability.FileOnly, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
/// AtomicFile.WriteAllText("state.json", json, options);
/// </code>
/// </example>
public sealed class AtomicFileOptions
{
    private readonly int _bufferSize = DefaultBufferSize;
    private readonly UnixFileMode? _unixCreateMode;
    private readonly TimeSpan _windowsRetryTimeout = TimeSpan.FromSeconds(2);
    private readonly TimeSpan _lockTimeout = TimeSpan.FromSeconds(30);

    internal const int DefaultBufferSize = 16 * 1024;

    /// <summary>The options used when none are given.</summary>
    public static AtomicFileOptions Default { get; } = new();

    /// <summary>
    /// Where the library logs: <see cref="Logger"/>, or a logger that discards everything. Resolved here, so no caller
    /// tests for null; a disabled level costs the one IsEnabled check the source-generated messages make.
    /// </summary>
    internal ILogger ResolvedLogger => Logger ?? NullLogger.Instance;

    /// <summary>How far a commit goes to survive a power cut. Default: <see cref="AtomicFiles.Durability.Full"/>.</summary>
    public Durability Durability { get; init; } = Durability.Full;

    /// <summary>
    /// Unix permissions for a file that does not exist yet, filtered by the process umask as open(2) does.
    /// Default: <see langword="null"/>, meaning 0666 &amp; ~umask, as <see cref="File.Create(string)"/> gives.
    /// An existing file keeps its own mode when <see cref="PreserveMetadata"/> is on. Ignored on Windows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value has bits other than permission bits.</exception>
    public UnixFileMode? UnixCreateMode
    {
        get => _unixCreateMode;
        init
        {
            const UnixFileMode AllPermissions = (UnixFileMode)0xFFF;
            if (value is { } mode && (mode & ~AllPermissions) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), mode, "UnixCreateMode may only hold permission bits (07777).");
            }

            _unixCreateMode = value;
        }
    }

    /// <summary>
    /// Whether a replaced file keeps its permissions and, where the process may set them, its owner and group.
    /// The new content is never readable more widely than the old file, not even during the write.
    /// Default: <see langword="true"/>. When off, the new file gets <see cref="UnixCreateMode"/>'s mode.
    /// </summary>
    public bool PreserveMetadata { get; init; } = true;

    /// <summary>What a write does when its path is a symbolic link. Default: <see cref="SymlinkHandling.FollowToTarget"/>.</summary>
    public SymlinkHandling Symlinks { get; init; } = SymlinkHandling.FollowToTarget;

    /// <summary>
    /// Bytes the writer gathers before it writes to the file. Writes at least this large go straight to the file,
    /// never through the buffer. Default: 16 KiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int BufferSize
    {
        get => _bufferSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(BufferSize));
            _bufferSize = value;
        }
    }

    /// <summary>
    /// On Windows, how long a commit keeps retrying, with backoff, when the target is briefly held by another process
    /// (antivirus, indexers, backup agents): errors 5, 32 and 33. Each retry is logged. Default: 2 seconds.
    /// <see cref="TimeSpan.Zero"/> disables retries.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan WindowsRetryTimeout
    {
        get => _windowsRetryTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _windowsRetryTimeout = value;
        }
    }

    /// <summary>
    /// How long to wait for a cross-process lock: <see cref="AtomicFile.Update"/> and its siblings for the lock another
    /// updater of the same file holds; <see cref="AtomicFile.BeginTransaction"/>, and <see cref="AtomicFile.Recover"/>
    /// when it finds a transaction journal, for the lock of a transaction root. On expiry they throw
    /// <see cref="TimeoutException"/> naming the file or root. Default: 30 seconds. <see cref="TimeSpan.Zero"/> tries once; <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits until the lock is free or the wait is cancelled.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or longer than <see cref="int.MaxValue"/> milliseconds.</exception>
    public TimeSpan LockTimeout
    {
        get => _lockTimeout;
        init
        {
            if (value != Timeout.InfiniteTimeSpan && (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "LockTimeout must be between zero and int.MaxValue milliseconds, or Timeout.InfiniteTimeSpan.");
            }

            _lockTimeout = value;
        }
    }

    /// <summary>Where commits, rollbacks, retries and durability warnings are logged. Default: <see langword="null"/>, no logging.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Test-only: the clock lock waits and Windows retries measure their timeouts on and sleep on, so tests advance a
    /// fake one instead of waiting for the wall clock. Default: <see cref="TimeProvider.System"/>.
    /// </summary>
    internal TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Test-only: injected defects and protocol step callbacks. <see langword="null"/> in every options object a user builds.</summary>
    internal FaultHooks? Faults { get; init; }

    /// <summary>Whether a commit flushes each staged file's data to stable storage before publishing it.</summary>
    internal bool FlushesFiles => Durability != Durability.None && !Injects(InjectedDefect.SkipFileFlush);

    /// <summary>Whether a transaction flushes its journal (the commit point, and a rollback's unseal) to stable storage.</summary>
    internal bool FlushesJournal => Durability != Durability.None;

    /// <summary>Whether a commit or recovery flushes each directory a rename or delete changed, and the root's after the journal goes.</summary>
    internal bool FlushesDirectories => Durability == Durability.Full && !Injects(InjectedDefect.SkipDirectoryFlush);

    /// <summary>The defects the tests inject; none in every options object a user builds.</summary>
    internal InjectedDefect Defects => Faults?.Defects ?? InjectedDefect.None;

    internal bool Injects(InjectedDefect defect) => (Defects & defect) != 0;

    /// <summary>Reports a step just done to the tests' <see cref="FaultHooks.AfterStep"/>, if any.</summary>
    internal void Reached(ProtocolStep step, string? path = null) => Faults?.AfterStep?.Invoke(new ReachedStep(step, path));
}
