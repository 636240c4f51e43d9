using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// Eight threads of one process durably replacing their own files in one directory at once, so that their directory
/// flushes are shared (group commit): each thread replaces its <see cref="FilesEach"/> files one after another, all
/// eight starting each round together, and marks "Commit returned" after each. Every state is checked for every thread's promises: a file whose commit
/// returned before the cut holds its new content.
/// </summary>
public sealed class ConcurrentWritersScenario(string variant) : PowerLossScenario(variant)
{
    private const int Writers = 8;
    private const int FilesEach = 4;

    public override void Setup(string directory)
    {
        Directory.CreateDirectory(Path.Join(directory, "shared"));
        foreach (var (path, writer, file) in Targets(directory))
        {
            File.WriteAllBytes(path, Old(writer, file));
        }
    }

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        var options = LibraryVariant.Options(Variant);
        var gate = new object();
        // Round by round: the eight commit at once, so most of them find a flush under way, and between rounds no one
        // commits — the quiet in which a commit acknowledged too early would show (nothing else commits its rename).
        using var round = new Barrier(Writers);
        var threads = Enumerable.Range(0, Writers).Select(writer => new Thread(() =>
        {
            for (var file = 0; file < FilesEach; file++)
            {
                round.SignalAndWait();
                AtomicFile.WriteAllBytes(Target(directory, writer, file), New(writer, file), options);
                lock (gate)
                {
                    markers.Mark(Marker(writer, file));
                }
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    public override void Recover(string directory) => AtomicFile.Recover(Path.Join(directory, "shared"), LibraryVariant.Options(Variant));

    public override void Check(string directory, CrashCheck check)
    {
        foreach (var (path, writer, file) in Targets(directory))
        {
            ContentChecks.OldOrNew(check, path, Old(writer, file), New(writer, file), Marker(writer, file));
        }

        ContentChecks.NoLeftovers(check, directory);
    }

    private static IEnumerable<(string Path, int Writer, int File)> Targets(string directory) =>
        Enumerable.Range(0, Writers).SelectMany(writer => Enumerable.Range(0, FilesEach).Select(file => (Target(directory, writer, file), writer, file)));

    private static string Target(string directory, int writer, int file) => Path.Join(directory, "shared", $"w{writer}-{file}.bin");

    private static string Marker(int writer, int file) => $"w{writer} committed {file}";

    private static byte[] Old(int writer, int file) => TestContent.Bytes(1000 + (writer * 40) + file, 900 + (writer * FilesEach) + file);

    private static byte[] New(int writer, int file) => TestContent.Bytes(2000 + (writer * 40) + file, 950 + (writer * FilesEach) + file);
}
