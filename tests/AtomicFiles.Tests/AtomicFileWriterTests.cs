using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests;

public sealed class AtomicFileWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Commit_NewFile_PublishesContentAndLeavesNoTemp()
    {
        var path = _dir.File("a.txt");
        using (var writer = AtomicFile.Create(path))
        {
            writer.Write("hello"u8);
            writer.Commit();
            writer.IsCommitted.Should().BeTrue();
        }

        File.ReadAllText(path).Should().Be("hello");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public void Create_BeforeCommit_TargetUntouchedAndTempHoldsTheBytes()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        using var writer = AtomicFile.Create(path);
        writer.Write("new content"u8);
        writer.Flush();

        File.ReadAllText(path).Should().Be("old");
        var temp = TempFiles.In(_dir.Path).Should().ContainSingle().Subject;
        new FileInfo(temp).Length.Should().Be("new content".Length);
    }

    [Fact]
    public void Dispose_WithoutCommit_RollsBack()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        using (var writer = AtomicFile.Create(path))
        {
            writer.Write("new"u8);
        }

        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public void Dispose_WithoutCommitOfNewFile_CreatesNothing()
    {
        using (var writer = AtomicFile.Create(_dir.File("a.txt")))
        {
            writer.Write("new"u8);
        }

        _dir.Entries().Should().BeEmpty();
    }

    [Fact]
    public void Using_ExceptionInBlock_RollsBack()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var act = () =>
        {
            using var writer = AtomicFile.Create(path);
            writer.Write("half"u8);
            throw new InvalidDataException("serializer failed");
        };

        act.Should().Throw<InvalidDataException>();
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public async Task DisposeAsync_WithoutCommit_RollsBack()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        await using (var writer = AtomicFile.Create(path))
        {
            await writer.WriteAsync("new"u8.ToArray());
        }

        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public void Write_AfterCommit_ThrowsObjectDisposed()
    {
        using var writer = AtomicFile.Create(_dir.File("a.txt"));
        writer.Commit();

        writer.Invoking(w => w.Write("x"u8)).Should().Throw<ObjectDisposedException>();
        writer.CanWrite.Should().BeFalse();
    }

    [Fact]
    public void Commit_Twice_ThrowsInvalidOperation()
    {
        using var writer = AtomicFile.Create(_dir.File("a.txt"));
        writer.Commit();

        writer.Invoking(w => w.Commit()).Should().Throw<InvalidOperationException>().WithMessage("*already*");
    }

    [Fact]
    public void Commit_AfterDispose_ThrowsObjectDisposedAndCreatesNothing()
    {
        var writer = AtomicFile.Create(_dir.File("a.txt"));
        writer.Dispose();

        writer.Invoking(w => w.Commit()).Should().Throw<ObjectDisposedException>();
        _dir.Entries().Should().BeEmpty();
    }

    [Fact]
    public async Task CommitAsync_Cancelled_RollsBackAndThrows()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        using var cts = new CancellationTokenSource();
        await using var writer = AtomicFile.Create(path);
        await writer.WriteAsync("new"u8.ToArray());
        await cts.CancelAsync();

        await writer.Invoking(w => w.CommitAsync(cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        writer.IsCommitted.Should().BeFalse();
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public async Task WriteAsync_MixedSmallAndLargeWrites_KeepsOrder()
    {
        var path = _dir.File("a.bin");
        var options = new AtomicFileOptions { BufferSize = 8 };
        var expected = new MemoryStream();
        await using (var writer = AtomicFile.Create(path, options))
        {
            for (var i = 0; i < 50; i++)
            {
                var chunk = Enumerable.Range(0, i % 13).Select(b => (byte)(b + i)).ToArray();
                expected.Write(chunk);
                if (i % 2 == 0)
                {
                    await writer.WriteAsync(chunk);
                }
                else
                {
                    writer.Write(chunk);
                }

                writer.WriteByte((byte)i);
                expected.WriteByte((byte)i);
            }

            writer.Position.Should().Be(expected.Length);
            await writer.CommitAsync();
        }

        File.ReadAllBytes(path).Should().Equal(expected.ToArray());
    }

    [Fact]
    public void Write_LargerThanBuffer_WritesEverything()
    {
        var path = _dir.File("big.bin");
        var bytes = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(bytes);
        using (var writer = AtomicFile.Create(path))
        {
            writer.Write(bytes, 0, 10);
            writer.Write(bytes, 10, bytes.Length - 10);
            writer.Commit();
        }

        File.ReadAllBytes(path).Should().Equal(bytes);
    }

    [Fact]
    public void Stream_Capabilities_AreWriteOnlyAndNotSeekable()
    {
        using var writer = AtomicFile.Create(_dir.File("a.txt"));

        writer.CanRead.Should().BeFalse();
        writer.CanSeek.Should().BeFalse();
        writer.CanWrite.Should().BeTrue();
        writer.Invoking(w => w.Seek(0, SeekOrigin.Begin)).Should().Throw<NotSupportedException>();
        writer.Invoking(w => w.ReadByte()).Should().Throw<NotSupportedException>();
        writer.Invoking(w => w.Length).Should().Throw<NotSupportedException>();
        writer.Invoking(w => w.Position = 3).Should().Throw<NotSupportedException>();
    }

    [RequiresFact(Requirement.SymbolicLinks)]
    public void Path_OfFollowedSymlink_IsTheFinalTarget()
    {
        var target = _dir.File("real.txt");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(_dir.File("link.txt"), "real.txt");

        using var writer = AtomicFile.Create(_dir.File("link.txt"));

        writer.Path.Should().Be(target);
    }
}
