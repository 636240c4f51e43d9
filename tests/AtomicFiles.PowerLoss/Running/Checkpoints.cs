using AtomicFiles.PowerLoss.Log;
using AtomicFiles.PowerLoss.States;

namespace AtomicFiles.PowerLoss.Running;

/// <summary>
/// Images of the disk after the first N entries, every <see cref="Spacing"/> entries, each a reflink clone of the one
/// before plus the writes between. A crash state then starts from the nearest checkpoint at or before its durable
/// prefix and writes only the rest: a late state no longer rewrites megabytes of the log onto the base.
/// </summary>
internal sealed class Checkpoints
{
    public const int Spacing = 32;

    private readonly List<(int Entries, string Image)> _images = [];

    public Checkpoints(string baseImage, WriteLog log, byte[] logBytes, string directory)
    {
        _images.Add((0, baseImage));
        for (var end = Spacing; end <= log.Entries.Count; end += Spacing)
        {
            var (previous, previousImage) = _images[^1];
            var image = Path.Join(directory, $"checkpoint{end}.img");
            CrashImage.Build(previousImage, log, logBytes, log.Entries.Skip(previous).Take(end - previous).Where(e => e.IsWrite), image);
            _images.Add((end, image));
        }
    }

    /// <summary>Builds <paramref name="state"/> into <paramref name="image"/> from the nearest checkpoint.</summary>
    public void Build(WriteLog log, byte[] logBytes, CrashState state, string image)
    {
        var (start, from) = _images.Last(c => c.Entries <= state.DurableEnd);
        var entries = log.Entries.Skip(start).Take(state.DurableEnd - start).Where(e => e.IsWrite);
        CrashImage.Build(from, log, logBytes, entries, image, state.Tail);
    }
}
