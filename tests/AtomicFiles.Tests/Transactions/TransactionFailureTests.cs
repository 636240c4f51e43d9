using AtomicFiles.FaultInjection;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// An I/O error after every step of a commit (the step hook throws there). Until the commit point is confirmed — the
/// journal sealed, flushed and its directory flushed — the transaction rolls itself back in process (a failed flush
/// is never trusted), leaving the old set and nothing else. From the first rename on, Commit reports a committed but
/// unfinished transaction, and the next BeginTransaction completes it.
/// </summary>
public sealed class TransactionFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Commit_FailingAfterEveryStep_RollsBackOrIsCompletedByTheNextTransaction()
    {
        var steps = TraceSteps();
        var firstRename = steps.FindIndex(s => s.Step == ProtocolStep.Rename);
        steps.Should().HaveCount(21);

        for (var i = 0; i < steps.Count; i++)
        {
            var root = NewRoot($"fail-{i:D2}");
            var failAt = steps[i];
            AtomicFileTransaction? tx = null;
            var act = () =>
            {
                using (tx = AtomicFile.BeginTransaction(root, new AtomicFileOptions { Faults = new() { AfterStep = step => ThrowAt(step, failAt) } }))
                {
                    Stage(tx);
                    tx.Commit();
                }
            };

            var thrown = act.Should().Throw<IOException>().Which;
            if (i < firstRename)
            {
                thrown.Should().BeOfType<IOException>().Which.Message.Should().Be($"injected after {failAt}");
                tx?.IsCommitted.Should().BeFalse();
                TransactionFileSet.Classify(root).Should().Be("old", "a failure after '{0}' comes before the commit point is confirmed", failAt);
                TransactionFileSet.Leftovers(root).Should().BeEmpty("the rollback after '{0}' removed everything", failAt);
            }
            else
            {
                tx!.IsCommitted.Should().BeTrue("'{0}' comes after the commit point", failAt);
                thrown.Message.Should().Contain("reached its commit point");
                using (AtomicFile.BeginTransaction(root))
                {
                    TransactionFileSet.Classify(root).Should().Be("new", "the next transaction completes one that failed after '{0}'", failAt);
                }

                TransactionFileSet.Leftovers(root).Should().BeEmpty();
            }
        }
    }

    private static void ThrowAt(ReachedStep step, ReachedStep failAt)
    {
        if (step == failAt)
        {
            throw new IOException($"injected after {step}");
        }
    }

    private static void Stage(AtomicFileTransaction tx)
    {
        foreach (var (path, content) in TransactionFileSet.Writes)
        {
            tx.WriteAllText(path, content);
        }

        foreach (var path in TransactionFileSet.Deletes)
        {
            tx.Delete(path);
        }
    }

    private List<ReachedStep> TraceSteps()
    {
        var steps = new List<ReachedStep>();
        var root = NewRoot("trace");
        TransactionFileSet.Commit(root, new AtomicFileOptions { Faults = new() { AfterStep = step => { lock (steps) { steps.Add(step); } } } });
        return steps;
    }

    private string NewRoot(string name)
    {
        var root = _dir.File(name);
        Directory.CreateDirectory(root);
        TransactionFileSet.CreateOld(root);
        return root;
    }
}
