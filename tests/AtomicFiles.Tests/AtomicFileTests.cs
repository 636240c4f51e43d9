using System.Text;

namespace AtomicFiles.Tests;

/// <summary>Round trips and rollbacks through every one-call entry point, sync and async.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WriteAllBytes_ExistingFile_Replaces()
    {
        var path = _dir.File("a.bin");
        File.WriteAllBytes(path, [9, 9, 9, 9, 9]);

        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });

        File.ReadAllBytes(path).Should().Equal(1, 2, 3);
        _dir.Entries().Should().Equal("a.bin");
    }

    [Fact]
    public void WriteAllBytes_Empty_CreatesEmptyFile()
    {
        var path = _dir.File("empty.bin");

        AtomicFile.WriteAllBytes(path, []);

        File.ReadAllBytes(path).Should().BeEmpty();
    }

    [Fact]
    public async Task WriteAllBytesAsync_WithAndWithoutOptions_Writes()
    {
        await AtomicFile.WriteAllBytesAsync(_dir.File("a.bin"), new byte[] { 1, 2 });
        await AtomicFile.WriteAllBytesAsync(_dir.File("b.bin"), new byte[] { 3 }, new AtomicFileOptions { Durability = Durability.None });

        File.ReadAllBytes(_dir.File("a.bin")).Should().Equal(1, 2);
        File.ReadAllBytes(_dir.File("b.bin")).Should().Equal(3);
    }

    [Fact]
    public async Task WriteAllBytesAsync_CancelledBeforeStart_LeavesFileUnchanged()
    {
        var path = _dir.File("a.bin");
        File.WriteAllText(path, "old");

        await FluentActions.Awaiting(() => AtomicFile.WriteAllBytesAsync(path, new byte[] { 1 }, new CancellationToken(canceled: true)))
            .Should().ThrowAsync<OperationCanceledException>();

        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.bin");
    }

    [Fact]
    public void WriteAllText_DefaultEncoding_IsUtf8WithoutBom()
    {
        var path = _dir.File("a.txt");

        AtomicFile.WriteAllText(path, "héllo");

        File.ReadAllBytes(path).Should().Equal(Encoding.UTF8.GetBytes("héllo"));
    }

    [Fact]
    public void WriteAllText_WithEncoding_WritesPreambleLikeTheBcl()
    {
        var path = _dir.File("a.txt");
        var bcl = _dir.File("bcl.txt");

        AtomicFile.WriteAllText(path, "héllo", Encoding.Unicode);
        File.WriteAllText(bcl, "héllo", Encoding.Unicode);

        File.ReadAllBytes(path).Should().Equal(File.ReadAllBytes(bcl));
    }

    [Fact]
    public void WriteAllText_Null_WritesEmptyFile()
    {
        var path = _dir.File("a.txt");

        AtomicFile.WriteAllText(path, null);

        File.ReadAllBytes(path).Should().BeEmpty();
    }

    [Fact]
    public async Task WriteAllTextAsync_BothOverloads_Write()
    {
        await AtomicFile.WriteAllTextAsync(_dir.File("a.txt"), "one");
        await AtomicFile.WriteAllTextAsync(_dir.File("b.txt"), "two", Encoding.UTF32, options: null);

        File.ReadAllText(_dir.File("a.txt")).Should().Be("one");
        File.ReadAllText(_dir.File("b.txt"), Encoding.UTF32).Should().Be("two");
    }

    [Fact]
    public void WriteAllLines_MatchesTheBcl()
    {
        string[] lines = ["a", "", "ç"];

        AtomicFile.WriteAllLines(_dir.File("a.txt"), lines);
        AtomicFile.WriteAllLines(_dir.File("b.txt"), lines, Encoding.Latin1);
        File.WriteAllLines(_dir.File("bcl-a.txt"), lines);
        File.WriteAllLines(_dir.File("bcl-b.txt"), lines, Encoding.Latin1);

        File.ReadAllBytes(_dir.File("a.txt")).Should().Equal(File.ReadAllBytes(_dir.File("bcl-a.txt")));
        File.ReadAllBytes(_dir.File("b.txt")).Should().Equal(File.ReadAllBytes(_dir.File("bcl-b.txt")));
    }

    [Fact]
    public async Task WriteAllLinesAsync_BothOverloads_Write()
    {
        await AtomicFile.WriteAllLinesAsync(_dir.File("a.txt"), ["x", "y"]);
        await AtomicFile.WriteAllLinesAsync(_dir.File("b.txt"), ["z"], encoding: null, options: null);

        File.ReadAllLines(_dir.File("a.txt")).Should().Equal("x", "y");
        File.ReadAllLines(_dir.File("b.txt")).Should().Equal("z");
    }

    [Fact]
    public void WriteAllLines_EnumerationThrows_LeavesFileUnchanged()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        static IEnumerable<string> Failing()
        {
            yield return "first";
            throw new InvalidDataException("source failed");
        }

        FluentActions.Invoking(() => AtomicFile.WriteAllLines(path, Failing())).Should().Throw<InvalidDataException>();
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public void Write_Callback_CommitsWhatItWrote()
    {
        var path = _dir.File("a.txt");

        AtomicFile.Write(path, stream => stream.Write("from callback"u8));

        File.ReadAllText(path).Should().Be("from callback");
    }

    [Fact]
    public void Write_CallbackThrows_LeavesFileUnchangedAndPropagates()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        FluentActions.Invoking(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidDataException("boom");
        })).Should().Throw<InvalidDataException>().WithMessage("boom");

        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public async Task WriteAsync_Callback_CommitsWhatItWrote()
    {
        var path = _dir.File("a.txt");

        await AtomicFile.WriteAsync(path, async (stream, ct) => await stream.WriteAsync("async"u8.ToArray(), ct));

        File.ReadAllText(path).Should().Be("async");
    }

    [Fact]
    public async Task WriteAsync_CancelledMidWrite_RollsBack()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");
        using var cts = new CancellationTokenSource();

        var act = () => AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[100_000], ct);
            await cts.CancelAsync();
            await stream.WriteAsync(new byte[100_000], ct);
        }, options: null, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public async Task WriteAsync_CallbackThrows_LeavesFileUnchanged()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        var act = () => AtomicFile.WriteAsync(path, (stream, ct) => throw new InvalidDataException("boom"));

        await act.Should().ThrowAsync<InvalidDataException>();
        File.ReadAllText(path).Should().Be("old");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Theory]
    [InlineData(Durability.Full)]
    [InlineData(Durability.FileOnly)]
    [InlineData(Durability.None)]
    public void WriteAllBytes_EveryDurability_Writes(Durability durability)
    {
        var path = _dir.File("a.bin");

        AtomicFile.WriteAllBytes(path, new byte[] { 7 }, new AtomicFileOptions { Durability = durability });

        File.ReadAllBytes(path).Should().Equal(7);
    }
}
