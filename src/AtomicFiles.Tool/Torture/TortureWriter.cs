using System.Globalization;

namespace AtomicFiles.Tool.Torture;

/// <summary>
/// The writer child of a torture run: commits self-checking versions in a loop until it is killed, and reports each
/// commit that returned as a line on its standard output (<see cref="WriterMessage"/>).
/// </summary>
internal sealed class TortureWriter
{
    private readonly string _directory;
    private readonly int _slot;
    private readonly int _size;
    private readonly TortureWriterRole _role;
    private readonly ITortureCommitter _committer;
    private readonly TextWriter _output;
    private readonly Dictionary<string, long> _lastWritten = [];

    internal TortureWriter(string directory, int slot, int size, TortureWriterRole role, ITortureCommitter committer, TextWriter output)
    {
        _directory = directory;
        _slot = slot;
        _size = size;
        _role = role;
        _committer = committer;
        _output = output;
    }

    /// <summary>
    /// The child's entry point: <c>--dir D --slot S --size BYTES [--role Files|Transactions]</c>. Never returns normally;
    /// exits when its parent goes away.
    /// </summary>
    internal static int Run(IReadOnlyList<string> args, ITortureCommitter committer)
    {
        string? directory = null;
        int? slot = null, size = null;
        var role = TortureWriterRole.Files;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--dir": directory = args[i + 1]; break;
                case "--slot": slot = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--size": size = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--role": role = Enum.Parse<TortureWriterRole>(args[i + 1]); break;
                default: throw new ArgumentException($"unknown writer option '{args[i]}'");
            }
        }

        if (directory is null || slot is null || size is null)
        {
            throw new ArgumentException("a torture writer needs --dir, --slot and --size");
        }

        ExitWhenParentGoes();
        new TortureWriter(directory, slot.Value, size.Value, role, committer, Console.Out).CommitForever(CancellationToken.None);
        return 0;
    }

    /// <summary>Commits random versions with random methods until cancelled (the harness kills it instead).</summary>
    internal void CommitForever(CancellationToken cancellationToken)
    {
        var created = TortureFiles.CreatedSequences(_directory, _slot);
        var nextSequence = created.Count == 0 ? 1 : created.Max() + 1;
        Report(new WriterMessage.Ready());
        while (_role == TortureWriterRole.Transactions && !cancellationToken.IsCancellationRequested)
        {
            CommitTransaction();
        }

        while (!cancellationToken.IsCancellationRequested)
        {
#pragma warning disable CA5394 // Not security: picking the next move.
            // The single-file methods: those declared before Transaction.
            var method = (CommitMethod)Random.Shared.Next((int)CommitMethod.Transaction);
            if (method == CommitMethod.CreateNew)
            {
                CommitNew(nextSequence++, created);
            }
            else
            {
                CommitShared(method, TortureFiles.Shared(Random.Shared.Next(TortureFiles.SharedCount)));
            }
#pragma warning restore CA5394
        }
    }

    private void CommitShared(CommitMethod method, string fileName)
    {
        var path = Path.Join(_directory, fileName);
        long version;

        // Only one writer at a time reads a shared file's version and commits the next: versions then rise by one,
        // and any file older than a reported commit is the write protocol's fault, not a race between writers.
        using (TortureLock.Acquire(Path.Join(_directory, TortureFiles.WritersLock(fileName)), Timeout.InfiniteTimeSpan))
        {
            if (method == CommitMethod.Update)
            {
                version = 0;
                _committer.Update(path, current => TortureContent.Create(version = NextVersion(fileName, current), _slot, _size));
            }
            else
            {
                version = NextVersion(fileName, File.Exists(path) ? File.ReadAllBytes(path) : null);
                _committer.Replace(path, TortureContent.Create(version, _slot, _size), method);
            }
        }

        _lastWritten[fileName] = version;
        Report(new WriterMessage.Committed(method, fileName, version));
    }

    private void CommitTransaction()
    {
        var paths = TortureFiles.TransactionSet.Select(file => Path.Join(_directory, file)).ToArray();
        long version = 0;
        using (TransactionSetLock.ForWriter(_directory))
        {
            _committer.CommitTransaction(_directory, paths, current => TortureContent.Create(version = NextTransactionVersion(current), _slot, _size));
        }

        _lastWritten[TortureFiles.TransactionSetName] = version;
        Report(new WriterMessage.Committed(CommitMethod.Transaction, TortureFiles.TransactionSetName, version));
    }

    /// <summary>One more than the set's version; reports files that are not complete, or that disagree (a torn transaction).</summary>
    private long NextTransactionVersion(IReadOnlyList<byte[]?> current)
    {
        var versions = new List<long?>(current.Count);
        for (var i = 0; i < current.Count; i++)
        {
            var decoded = current[i] is { } bytes ? TortureContent.Decode(bytes) : (TortureContent.Decoded?)null;
            if (decoded is { IsValid: false } invalid)
            {
                Report(new WriterMessage.Corrupt(TortureFiles.TransactionSet[i], invalid.Problem!));
            }

            versions.Add(decoded is { IsValid: true } valid ? valid.Version : null);
        }

        if (versions.Distinct().Count() > 1)
        {
            Report(new WriterMessage.Corrupt(TortureFiles.TransactionSetName, "several versions: " + TransactionSetVerifier.Describe(versions)));
        }

        var newest = versions.Max();
        return newest is { } v ? v + 1 : _lastWritten.GetValueOrDefault(TortureFiles.TransactionSetName) + 1;
    }

    private void CommitNew(long sequence, List<long> older)
    {
        var fileName = TortureFiles.Created(_slot, sequence);
        _committer.CreateNew(Path.Join(_directory, fileName), TortureContent.Create(sequence, _slot, _size));
        Report(new WriterMessage.Committed(CommitMethod.CreateNew, fileName, sequence));

        // Only now that a newer one exists: the chain never has a moment without a committed file.
        foreach (var old in older)
        {
            File.Delete(Path.Join(_directory, TortureFiles.Created(_slot, old)));
        }

        older.Clear();
        older.Add(sequence);
    }

    private long NextVersion(string fileName, byte[]? current)
    {
        if (current is null)
        {
            return _lastWritten.GetValueOrDefault(fileName) + 1;
        }

        var decoded = TortureContent.Decode(current);
        if (decoded.IsValid)
        {
            return decoded.Version + 1;
        }

        // Only a broken writer gets here. Go on from what this process last wrote; the harness counts the report.
        Report(new WriterMessage.Corrupt(fileName, decoded.Problem!));
        return _lastWritten.GetValueOrDefault(fileName) + 1;
    }

    private void Report(WriterMessage message)
    {
        _output.WriteLine(message.ToString());
        _output.Flush();
    }

    /// <summary>The harness holds our standard input open; end of input means it is gone, and so must we be.</summary>
    private static void ExitWhenParentGoes()
    {
        var watcher = new Thread(() =>
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[64];
            while (input.Read(buffer) > 0)
            {
            }

            Environment.Exit(0);
        })
        {
            IsBackground = true,
            Name = "parent watcher",
        };
        watcher.Start();
    }
}
