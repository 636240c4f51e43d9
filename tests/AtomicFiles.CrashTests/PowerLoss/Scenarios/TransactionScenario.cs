using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// A 3-file transaction across 2 directories under one root: all old or all new, new once Commit returned. Run on
/// <see cref="Rounds"/> roots one after another, for more flush windows. At every step of the protocol the neighbour
/// commits the filesystem's journal, as a busy machine may at any instant: a crash state then exists between any two
/// steps, e.g. between two renames (which is where a transaction without a journal shows mixed versions).
/// </summary>
public sealed class TransactionScenario(string variant) : PowerLossScenario(variant)
{
    private const int Rounds = 4;

    private static readonly string[] Files = ["config/app.json", "config/db.json", "data/state.bin"];

    public override void Setup(string directory)
    {
        foreach (var root in Roots(directory))
        {
            for (var i = 0; i < Files.Length; i++)
            {
                var path = Path.Join(root, Files[i]);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, Old(i));
            }
        }
    }

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        foreach (var root in Roots(directory))
        {
            var options = LibraryVariant.Options(Variant, transactionStep: _ => markers.Neighbour.CommitNow());
            using (var transaction = AtomicFile.BeginTransaction(root, options))
            {
                for (var i = 0; i < Files.Length; i++)
                {
                    transaction.WriteAllBytes(Path.Join(root, Files[i]), New(i));
                }

                transaction.Commit();
            }

            markers.Mark("committed " + Path.GetFileName(root));
        }
    }

    /// <summary>
    /// Recovers each root only, never its subdirectories, so that the no-leftovers check (invariant 5) holds recovery
    /// to "no temp of the root's transactions anywhere under the root": <see cref="AtomicFile.Recover"/> on even rounds,
    /// the recovery <see cref="AtomicFile.BeginTransaction"/> runs on odd ones.
    /// </summary>
    public override void Recover(string directory)
    {
        var options = LibraryVariant.Options(Variant);
        foreach (var (root, round) in Roots(directory).Select((root, round) => (root, round)))
        {
            if (round % 2 == 0)
            {
                AtomicFile.Recover(root, options);
            }
            else
            {
                AtomicFile.BeginTransaction(root, options).Dispose();
            }
        }
    }

    public override void Check(string directory, CrashCheck check)
    {
        foreach (var root in Roots(directory))
        {
            var marker = "committed " + Path.GetFileName(root);
            var versions = Files.Select((f, i) => ContentChecks.OldOrNew(check, Path.Join(root, f), Old(i), New(i), marker)).ToList();
            if (versions.Distinct().Count() > 1)
            {
                check.Fail(Invariant.AllOrNothing, $"{Path.GetFileName(root)}: mixed versions: " + string.Join(", ", Files.Zip(versions, (f, v) => $"{f} {v}")));
            }
        }

        ContentChecks.NoLeftovers(check, directory);
    }

    private static IEnumerable<string> Roots(string directory) => Enumerable.Range(0, Rounds).Select(r => Path.Join(directory, $"tx{r}"));

    private static byte[] Old(int i) => TestContent.Bytes(2000 + (i * 3000), 400 + i);

    private static byte[] New(int i) => TestContent.Bytes(2500 + (i * 4000), 500 + i);
}
