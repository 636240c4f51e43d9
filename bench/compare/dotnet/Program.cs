using System.Diagnostics;
using System.Globalization;
using AtomicFiles;

// dotnet AtomicFiles.Compare.dll {atomicfile-full|atomicfile-fileonly|atomicfile-full-async|filestream} DIR  — a worker for driver.py
// dotnet AtomicFiles.Compare.dll alloc DIR                                               — the allocation check
// A worker also answers "concT N" (T writers × N replaces of their own file in DIR, one time for the batch) and "seqN K" (N sequential 4 KiB writes, one sample per batch of N) and, with atomicfile-full or
// atomicfile-fileonly, "txN K" (one transaction of the same N files): DIR is the root, the files are DIR/files/file{i}.bin.
const int LargeLength = 64 << 20;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: AtomicFiles.Compare {atomicfile-full|atomicfile-fileonly|atomicfile-full-async|filestream|alloc} DIR");
    return 2;
}

var (mode, directory) = (args[0], args[1]);
var content = new byte[LargeLength];
for (var i = 0; i < content.Length; i++)
{
    content[i] = (byte)('a' + (i % 26));
}

if (mode == "alloc")
{
    return Allocations.Report(directory, content);
}

Action<string, ReadOnlyMemory<byte>> write = mode switch
{
    "atomicfile-full" => Writers.Atomic(AtomicFileOptions.Default),
    "atomicfile-fileonly" => Writers.Atomic(new AtomicFileOptions { Durability = Durability.FileOnly }),
    "atomicfile-full-async" => Writers.AtomicAsync(AtomicFileOptions.Default),
    "filestream" => Writers.FileStreamInPlace,
    _ => throw new ArgumentException($"unknown mode '{mode}'", nameof(args)),
};

var options = mode == "atomicfile-fileonly" ? new AtomicFileOptions { Durability = Durability.FileOnly } : AtomicFileOptions.Default;
while (Console.ReadLine() is { } line)
{
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var count = int.Parse(parts[1], CultureInfo.InvariantCulture);
    if (parts[0].StartsWith("conc", StringComparison.Ordinal))
    {
        var threads = int.Parse(parts[0].AsSpan(4), CultureInfo.InvariantCulture);
        var elapsed = mode == "atomicfile-full-async"
            ? Concurrent.RunAsync(directory, threads, count, content.AsMemory(0, 4096), options)
            : Concurrent.Run(directory, threads, count, content.AsMemory(0, 4096), options);
        Console.Out.WriteLine(elapsed.TotalMilliseconds.ToString("F4", CultureInfo.InvariantCulture));
        Console.Out.Flush();
        continue;
    }

    if (Batches.TryParse(parts[0], directory) is { } batch)
    {
        var batchTimes = new string[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            if (batch.Transaction)
            {
                Batches.Transaction(directory, batch.Paths, content.AsSpan(0, 4096), options);
            }
            else
            {
                foreach (var file in batch.Paths)
                {
                    write(file, content.AsMemory(0, 4096));
                }
            }

            batchTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("F4", CultureInfo.InvariantCulture);
        }

        Console.Out.WriteLine(string.Join(' ', batchTimes));
        Console.Out.Flush();
        continue;
    }

    var data = parts[0] == "large" ? content.AsMemory() : content.AsMemory(0, 4096);
    var path = Path.Join(directory, parts[0] + ".bin");
    var times = new string[count];
    for (var i = 0; i < count; i++)
    {
        var start = Stopwatch.GetTimestamp();
        write(path, data);
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("F4", CultureInfo.InvariantCulture);
    }

    Console.Out.WriteLine(string.Join(' ', times));
    Console.Out.Flush();
}

return 0;

/// <summary>
/// Concurrent writers (driver.py --concurrent): T writers, each replacing its own 4 KiB file DIR/file{t}.bin N times,
/// all in one directory. Sync: T threads started together. Async: T tasks on the thread pool, each awaiting its writes.
/// </summary>
internal static class Concurrent
{
    internal static TimeSpan Run(string directory, int threads, int count, ReadOnlyMemory<byte> data, AtomicFileOptions options)
    {
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var path = Path.Join(directory, $"file{t}.bin");
            start.SignalAndWait();
            for (var i = 0; i < count; i++)
            {
                AtomicFile.WriteAllBytes(path, data.Span, options);
            }
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        start.SignalAndWait();
        var begin = Stopwatch.GetTimestamp();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        return Stopwatch.GetElapsedTime(begin);
    }

    internal static TimeSpan RunAsync(string directory, int threads, int count, ReadOnlyMemory<byte> data, AtomicFileOptions options)
    {
        var begin = Stopwatch.GetTimestamp();
        Task.WaitAll(Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var path = Path.Join(directory, $"file{t}.bin");
            for (var i = 0; i < count; i++)
            {
                await AtomicFile.WriteAllBytesAsync(path, data, options).ConfigureAwait(false);
            }
        })).ToArray());
        return Stopwatch.GetElapsedTime(begin);
    }
}

/// <summary>Many files at once: N sequential writes against one transaction of the same N files (the issue-6 target).</summary>
internal static class Batches
{
    /// <summary>"seq100" or "tx100": N files under DIR/files; null for the single-file kinds.</summary>
    internal static (bool Transaction, string[] Paths)? TryParse(string kind, string root)
    {
        var transaction = kind.StartsWith("tx", StringComparison.Ordinal);
        if (!transaction && !kind.StartsWith("seq", StringComparison.Ordinal))
        {
            return null;
        }

        var digits = kind.AsSpan(transaction ? 2 : 3);
        var files = digits.IsEmpty ? 100 : int.Parse(digits, CultureInfo.InvariantCulture);
        var directory = Directory.CreateDirectory(Path.Join(root, "files")).FullName;
        return (transaction, Enumerable.Range(0, files).Select(i => Path.Join(directory, $"file{i}.bin")).ToArray());
    }

    internal static void Transaction(string root, string[] paths, ReadOnlySpan<byte> data, AtomicFileOptions options)
    {
        using var tx = AtomicFile.BeginTransaction(root, options);
        foreach (var path in paths)
        {
            tx.WriteAllBytes(path, data);
        }

        tx.Commit();
    }
}

internal static class Writers
{
    private const int Chunk = 1 << 20;

    /// <summary>4 KiB through WriteAllBytes; 64 MiB streamed through the writer in 1 MiB writes.</summary>
    internal static Action<string, ReadOnlyMemory<byte>> Atomic(AtomicFileOptions options) => (path, data) =>
    {
        if (data.Length <= 4096)
        {
            AtomicFile.WriteAllBytes(path, data.Span, options);
            return;
        }

        using var writer = AtomicFile.Create(path, options);
        for (var offset = 0; offset < data.Length; offset += Chunk)
        {
            writer.Write(data.Span.Slice(offset, Math.Min(Chunk, data.Length - offset)));
        }

        writer.Commit();
    };

    /// <summary>4 KiB through WriteAllBytesAsync; 64 MiB through WriteAsync + CommitAsync. Waited for synchronously, as a loop of awaits would be.</summary>
    internal static Action<string, ReadOnlyMemory<byte>> AtomicAsync(AtomicFileOptions options) => (path, data) =>
    {
        var task = data.Length <= 4096 ? AtomicFile.WriteAllBytesAsync(path, data, options) : WriteLargeAsync(path, data, options);
        task.GetAwaiter().GetResult();
    };

    private static async Task WriteLargeAsync(string path, ReadOnlyMemory<byte> data, AtomicFileOptions options)
    {
        var writer = AtomicFile.Create(path, options);
        await using (writer.ConfigureAwait(false))
        {
            for (var offset = 0; offset < data.Length; offset += Chunk)
            {
                await writer.WriteAsync(data.Slice(offset, Math.Min(Chunk, data.Length - offset))).ConfigureAwait(false);
            }

            await writer.CommitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The reference the streaming target is measured against: a plain, non-atomic FileStream write + fsync in place.</summary>
    internal static void FileStreamInPlace(string path, ReadOnlyMemory<byte> data)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 4096);
        for (var offset = 0; offset < data.Length; offset += Chunk)
        {
            stream.Write(data.Span.Slice(offset, Math.Min(Chunk, data.Length - offset)));
        }

        stream.Flush(flushToDisk: true);
    }
}

/// <summary>
/// Managed allocation of 1 GiB through the writer (sync and async, in 64 KiB writes) and of WriteAllBytes(4 KiB).
/// Durability.None keeps the check quick; the flush calls it skips allocate nothing.
/// </summary>
internal static class Allocations
{
    private const long OneGiB = 1L << 30;
    private const int WriteSize = 64 * 1024;
    private static readonly AtomicFileOptions s_none = new() { Durability = Durability.None };

    internal static int Report(string directory, byte[] content)
    {
        var path = Path.Join(directory, "alloc.bin");
        var small = content.AsMemory(0, 4096);
        var chunk = content.AsMemory(0, WriteSize);

        // Warm up: JIT, the array pool, the thread pool.
        WriteSync(path, chunk, WriteSize * 16L);
        WriteAsync(path, chunk, WriteSize * 16L).GetAwaiter().GetResult();
        for (var i = 0; i < 100; i++)
        {
            AtomicFile.WriteAllBytes(path, small.Span, s_none);
        }

        var sync = Measure(() => WriteSync(path, chunk, OneGiB));
        ThrowIfWrongLength(path, OneGiB);
        var async = Measure(() => WriteAsync(path, chunk, OneGiB).GetAwaiter().GetResult());
        ThrowIfWrongLength(path, OneGiB);
        const int Calls = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            AtomicFile.WriteAllBytes(path, small.Span, s_none);
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;
        File.Delete(path);

        Console.WriteLine($"1 GiB via Write (64 KiB writes): {sync:N0} bytes allocated (all threads)");
        Console.WriteLine($"1 GiB via WriteAsync (64 KiB writes): {async:N0} bytes allocated (all threads)");
        Console.WriteLine($"WriteAllBytes 4 KiB: {perCall:N0} bytes allocated per call (calling thread)");
        return 0;
    }

    private static void ThrowIfWrongLength(string path, long expected)
    {
        var actual = new FileInfo(path).Length;
        if (actual != expected)
        {
            throw new InvalidOperationException($"'{path}' holds {actual} bytes after writing {expected}.");
        }
    }

    private static long Measure(Action action)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        action();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static void WriteSync(string path, ReadOnlyMemory<byte> chunk, long total)
    {
        using var writer = AtomicFile.Create(path, s_none);
        for (long written = 0; written < total; written += chunk.Length)
        {
            writer.Write(chunk.Span);
        }

        writer.Commit();
    }

    private static async Task WriteAsync(string path, ReadOnlyMemory<byte> chunk, long total)
    {
        var writer = AtomicFile.Create(path, s_none);
        await using (writer.ConfigureAwait(false))
        {
            for (long written = 0; written < total; written += chunk.Length)
            {
                await writer.WriteAsync(chunk).ConfigureAwait(false);
            }

            await writer.CommitAsync().ConfigureAwait(false);
        }
    }
}
