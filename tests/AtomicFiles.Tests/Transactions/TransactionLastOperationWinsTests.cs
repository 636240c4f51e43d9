using AtomicFiles.FaultInjection;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// Within a transaction the last operation on a path wins, as if the operations were applied in order; the superseded
/// staging leaves no temp, and the committed journal names only the final operations.
/// </summary>
public sealed class TransactionLastOperationWinsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("write first, write second", "second")]
    [InlineData("write first, delete", null)]
    [InlineData("delete, write second", "second")]
    [InlineData("write first, delete, write second", "second")]
    [InlineData("delete, delete", null)]
    public void Commit_SeveralOperationsOnOnePath_TheLastWins(string operations, string? expected)
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "old");

        using (var tx = AtomicFile.BeginTransaction(_dir.Path))
        {
            foreach (var operation in operations.Split(", "))
            {
                if (operation == "delete")
                {
                    tx.Delete("a.txt");
                }
                else
                {
                    tx.WriteAllText("a.txt", operation["write ".Length..]);
                }

                _dir.Entries().Count(e => e.EndsWith(".tmp", StringComparison.Ordinal)).Should().BeLessThanOrEqualTo(1, "a superseded staging is removed at once");
            }

            tx.Commit();
        }

        if (expected is null)
        {
            File.Exists(path).Should().BeFalse();
        }
        else
        {
            File.ReadAllText(path).Should().Be(expected);
        }

        TransactionFileSet.Leftovers(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Commit_AfterSuperseding_TheSealedJournalNamesOnlyTheFinalOperations()
    {
        string? journal = null;
        var options = new AtomicFileOptions
        {
            Faults = new()
            {
                AfterStep = step =>
                {
                    if (step.Step == ProtocolStep.JournalWrite)
                    {
                        // The reader the library documents: the journal is open for writing, and on Windows only a reader sharing write may open it.
                        journal = AtomicFile.ReadAllText(_dir.File(".atomicfiles-transaction.journal"));
                    }
                },
            },
        };

        using (var tx = AtomicFile.BeginTransaction(_dir.Path, options))
        {
            tx.WriteAllText("a.txt", "first");
            tx.WriteAllText("b.txt", "doomed");
            tx.WriteAllText("a.txt", "second");
            tx.Delete("b.txt");
            tx.Commit();
        }

        // Stage lines name every temp ever created (recovery skips those gone); the operations are the final ones only.
        var lines = journal!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Where(l => l.StartsWith("stage ", StringComparison.Ordinal)).Should().HaveCount(3, journal);
        lines.Where(l => l.StartsWith("replace ", StringComparison.Ordinal)).Should().ContainSingle(journal)
            .Which.Split(' ')[2].Should().Be("a.txt");
        lines.Where(l => l.StartsWith("delete ", StringComparison.Ordinal)).Should().Equal("delete b.txt");
        lines[^1].Should().StartWith("commit ");
        File.ReadAllText(_dir.File("a.txt")).Should().Be("second");
        File.Exists(_dir.File("b.txt")).Should().BeFalse();
    }

    [Fact]
    public void Create_ThenWriteAgain_ClosesTheEarlierStream()
    {
        using var tx = AtomicFile.BeginTransaction(_dir.Path);
        var first = tx.Create("a.txt");
        first.Write("first"u8);

        tx.WriteAllText("a.txt", "second");

        first.Invoking(s => s.Write("more"u8)).Should().Throw<ObjectDisposedException>();
        tx.Commit();
        File.ReadAllText(_dir.File("a.txt")).Should().Be("second");
    }
}
