namespace AtomicFiles.Tests;

public sealed class CreateNewTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CreateNew_NoFile_Publishes()
    {
        var path = _dir.File("a.txt");
        using (var writer = AtomicFile.CreateNew(path))
        {
            writer.Write("first"u8);
            writer.Commit();
        }

        File.ReadAllText(path).Should().Be("first");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public void CreateNew_FileExists_ThrowsAtOnceAndLeavesItAlone()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "mine");

        var act = () => AtomicFile.CreateNew(path);

        act.Should().Throw<IOException>().WithMessage("*already exists*")
            .Which.HResult.Should().Be(OperatingSystem.IsWindows() ? unchecked((int)0x80070050) : 17);
        File.ReadAllText(path).Should().Be("mine");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public void Commit_FileAppearedMeanwhile_ThrowsKeepsTheOtherFileAndRemovesTemp()
    {
        var path = _dir.File("a.txt");
        using var writer = AtomicFile.CreateNew(path);
        writer.Write("late"u8);
        File.WriteAllText(path, "winner");

        writer.Invoking(w => w.Commit()).Should().Throw<IOException>().WithMessage("*already exists*");

        writer.IsCommitted.Should().BeFalse();
        File.ReadAllText(path).Should().Be("winner");
        _dir.Entries().Should().Equal("a.txt");
    }

    [Fact]
    public void CreateNew_EightThreadsRace_ExactlyOneWins()
    {
        for (var round = 0; round < 20; round++)
        {
            var path = _dir.File($"race-{round}.txt");
            using var barrier = new Barrier(8);
            var outcomes = new string[8];
            var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
            {
                try
                {
                    using var writer = AtomicFile.CreateNew(path, new AtomicFileOptions { Durability = Durability.None });
                    writer.Write(BitConverter.GetBytes(i));
                    barrier.SignalAndWait();
                    writer.Commit();
                    outcomes[i] = "won";
                }
                catch (IOException)
                {
                    outcomes[i] = "lost";
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            outcomes.Count(o => o == "won").Should().Be(1);
            outcomes.Count(o => o == "lost").Should().Be(7);
            var winner = Array.IndexOf(outcomes, "won");
            File.ReadAllBytes(path).Should().Equal(BitConverter.GetBytes(winner));
        }

        _dir.Entries().Should().HaveCount(20, "no temp survives a lost race");
    }
}
