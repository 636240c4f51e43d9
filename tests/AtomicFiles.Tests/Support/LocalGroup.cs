namespace AtomicFiles.Tests.Support;

/// <summary>A local group created by <see cref="LocalUsers"/>.</summary>
internal sealed record LocalGroup(string Name, uint Gid);
