using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests;

/// <summary>
/// A writer whose write failed never publishes, even when the caller catches the failure and commits anyway: the
/// writes fail with a real ENOSPC on a 64 KiB tmpfs, part-way through, so the temp holds a truncated prefix.
/// </summary>
public sealed class AtomicFileWriterPoisonTests : IDisposable
{
    private const string OldContent = "old content";

    // Four times the filesystem: every way of writing it runs out of space part-way.
    private static readonly byte[] s_content = Enumerable.Range(0, 256 * 1024).Select(i => (byte)('a' + (i % 26))).ToArray();

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, bool> FailingWrites()
    {
        var data = new TheoryData<string, bool>();
        foreach (var write in new[] { "Write", "Write in pieces", "WriteAsync", "WriteAsync in pieces", "Flush", "FlushAsync" })
        {
            data.Add(write, false);
            data.Add(write, true);
        }

        return data;
    }

    [RequiresTheory(Requirement.Linux | Requirement.Root)]
    [MemberData(nameof(FailingWrites))]
    public async Task Commit_AfterWriteFailedWithDiskFull_ThrowsRollsBackAndKeepsOldFile(string write, bool commitAsync)
    {
        using var disk = new TinyTmpfs(_dir.File("tiny"));
        var path = disk.File("a.bin");
        File.WriteAllText(path, OldContent);

        var writer = AtomicFile.Create(path, new AtomicFileOptions { BufferSize = write.StartsWith("Flush", StringComparison.Ordinal) ? 1024 * 1024 : 16 * 1024 });
        await using (writer)
        {
            var failure = await FailWrite(writer, write);

            var commit = commitAsync ? writer.Invoking(w => w.CommitAsync()) : writer.Invoking(w => Task.Run(w.Commit));
            var thrown = await commit.Should().ThrowAsync<IOException>().WithMessage($"An earlier write to '{path}' failed, so nothing was published*");
            thrown.Which.InnerException.Should().BeSameAs(failure);
            writer.IsCommitted.Should().BeFalse();
        }

        ShouldHoldOldContentAndNoTemp(disk, path);
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public async Task Write_AfterWriteFailedWithDiskFull_EveryFurtherWriteAndFlushThrows()
    {
        using var disk = new TinyTmpfs(_dir.File("tiny"));
        var path = disk.File("a.bin");
        File.WriteAllText(path, OldContent);
        using var writer = AtomicFile.Create(path);
        var failure = await FailWrite(writer, "Write");

        writer.CanWrite.Should().BeFalse();
        writer.Invoking(w => w.Write("x"u8)).Should().Throw<IOException>().WithMessage("An earlier write*").Which.InnerException.Should().BeSameAs(failure);
        writer.Invoking(w => w.WriteByte(1)).Should().Throw<IOException>().WithMessage("An earlier write*");
        writer.Invoking(w => w.Flush()).Should().Throw<IOException>().WithMessage("An earlier write*");
        await writer.Invoking(w => w.WriteAsync(new byte[] { 1 }).AsTask()).Should().ThrowAsync<IOException>().WithMessage("An earlier write*");
        await writer.Invoking(w => w.FlushAsync()).Should().ThrowAsync<IOException>().WithMessage("An earlier write*");
    }

    [RequiresTheory(Requirement.Linux | Requirement.Root)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commit_BufferedTailFailsWithDiskFull_ThrowsTheWriteFailureAndKeepsOldFile(bool commitAsync)
    {
        using var disk = new TinyTmpfs(_dir.File("tiny"));
        var path = disk.File("a.bin");
        File.WriteAllText(path, OldContent);

        var writer = AtomicFile.Create(path, new AtomicFileOptions { BufferSize = 1024 * 1024 });
        await using (writer)
        {
            writer.Write(s_content);

            var commit = commitAsync ? writer.Invoking(w => w.CommitAsync()) : writer.Invoking(w => Task.Run(w.Commit));
            await commit.Should().ThrowAsync<IOException>().WithMessage("*No space left on device*");
            writer.IsCommitted.Should().BeFalse();
        }

        ShouldHoldOldContentAndNoTemp(disk, path);
    }

    [Fact]
    public async Task CommitAsync_AfterWriteAsyncWasCancelled_ThrowsAndKeepsOldFile()
    {
        var path = _dir.File("a.bin");
        File.WriteAllText(path, OldContent);
        var writer = AtomicFile.Create(path);
        await using (writer)
        {
            writer.Write("new "u8);
            await writer.Invoking(w => w.WriteAsync(s_content, new CancellationToken(canceled: true)).AsTask()).Should().ThrowAsync<OperationCanceledException>();

            var thrown = await writer.Invoking(w => w.CommitAsync()).Should().ThrowAsync<IOException>().WithMessage($"An earlier write to '{path}' failed*");
            thrown.Which.InnerException.Should().BeAssignableTo<OperationCanceledException>();
        }

        File.ReadAllText(path).Should().Be(OldContent);
        _dir.Entries().Should().Equal("a.bin");
    }

    /// <summary>
    /// The control: a naive temp-and-rename writer that carries on after the failed write publishes a truncated file
    /// on the same tmpfs, and the check the tests above pass is what catches it.
    /// </summary>
    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void NaiveWriter_CommitsAfterWriteFailedWithDiskFull_PublishesATruncatedFileTheSameCheckCatches()
    {
        using var disk = new TinyTmpfs(_dir.File("tiny"));
        var path = disk.File("a.bin");
        File.WriteAllText(path, OldContent);
        var temp = disk.File(".a.bin.naive");

        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Invoking(s => s.Write(s_content)).Should().Throw<IOException>().WithMessage("*No space left on device*");
        }

        File.Move(temp, path, overwrite: true);

        FluentActions.Invoking(() => ShouldHoldOldContentAndNoTemp(disk, path)).Should().Throw<Exception>().WithMessage("*old content*");
        File.ReadAllBytes(path).Should().HaveCountGreaterThan(0).And.HaveCountLessThan(s_content.Length)
            .And.Equal(s_content.Take(File.ReadAllBytes(path).Length), "the naive writer published a truncated prefix of the new content");
    }

    /// <summary>Writes <see cref="s_content"/> in the way <paramref name="write"/> names until it throws, and returns what it threw.</summary>
    private static async Task<IOException> FailWrite(AtomicFileWriter writer, string write)
    {
        try
        {
            switch (write)
            {
                case "Write":
                    writer.Write(s_content);
                    break;
                case "Write in pieces":
                    foreach (var piece in s_content.Chunk(1000))
                    {
                        writer.Write(piece);
                    }

                    break;
                case "WriteAsync":
                    await writer.WriteAsync(s_content);
                    break;
                case "WriteAsync in pieces":
                    foreach (var piece in s_content.Chunk(1000))
                    {
                        await writer.WriteAsync(piece);
                    }

                    break;
                case "Flush":
                    writer.Write(s_content);
                    writer.Flush();
                    break;
                case "FlushAsync":
                    writer.Write(s_content);
                    await writer.FlushAsync();
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(write), write, null);
            }
        }
        catch (IOException e)
        {
            e.Message.Should().Contain("No space left on device");
            return e;
        }

        throw new InvalidOperationException($"'{write}' of {s_content.Length} bytes did not fail: the tmpfs is larger than the test assumes.");
    }

    private static void ShouldHoldOldContentAndNoTemp(TinyTmpfs disk, string path)
    {
        File.ReadAllText(path).Should().Be(OldContent, "a writer whose write failed must not publish");
        disk.Entries().Should().Equal([Path.GetFileName(path)], "the rollback removes the temp");
    }
}
