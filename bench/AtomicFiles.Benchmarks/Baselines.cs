namespace AtomicFiles.Benchmarks;

/// <summary>What a careful .NET user writes by hand without this library: the baselines every benchmark stands beside.</summary>
internal static class Baselines
{
    /// <summary>
    /// Temp file, write, <see cref="FileStream.Flush(bool)"/> (fsync — whose failures the BCL ignores), then
    /// <see cref="File.Move(string, string, bool)"/>. No directory fsync: the same durability as
    /// <see cref="Durability.FileOnly"/>, not <see cref="Durability.Full"/>.
    /// </summary>
    internal static void FileStreamFsyncMove(string path, ReadOnlySpan<byte> bytes, int chunk)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 4096))
        {
            WriteChunked(stream, bytes, chunk);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A plain, non-atomic <see cref="FileStream"/> write of the file in place plus fsync: the throughput ceiling.</summary>
    internal static void FileStreamFsync(string path, ReadOnlySpan<byte> bytes, int chunk)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 4096);
        WriteChunked(stream, bytes, chunk);
        stream.Flush(flushToDisk: true);
    }

    internal static void WriteChunked(Stream stream, ReadOnlySpan<byte> bytes, int chunk)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            stream.Write(bytes.Slice(offset, Math.Min(chunk, bytes.Length - offset)));
        }
    }

    internal static async Task WriteChunkedAsync(Stream stream, ReadOnlyMemory<byte> bytes, int chunk)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            await stream.WriteAsync(bytes.Slice(offset, Math.Min(chunk, bytes.Length - offset))).ConfigureAwait(false);
        }
    }
}
