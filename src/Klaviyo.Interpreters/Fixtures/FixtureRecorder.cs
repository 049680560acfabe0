namespace Klaviyo;

/// <summary>
/// Collects recorded interactions and saves them to a fixture file: explicitly with <see cref="SaveAsync"/>, or when
/// disposed. Nothing touches the disk until then. A save writes through a temporary file moved over the old one,
/// under a lock shared with other recorders and processes; if someone else saved the file since this recorder started,
/// their interactions are kept and this recorder's are appended after them — nothing is lost. Safe to use from many
/// tasks at once.
/// </summary>
public sealed class FixtureRecorder : IAsyncDisposable, IDisposable
{
    private readonly object _gate = new();
    private readonly List<Interaction> _seed;
    private readonly List<Interaction> _recorded = [];
    private readonly SemaphoreSlim _saving = new(1, 1);
    private byte[]? _baseline;
    private bool _disposed;

    /// <summary>A recorder saving to <paramref name="path"/>; no file is read or written yet.</summary>
    /// <param name="path">The fixture file.</param>
    /// <param name="options">Filters and the clock for <c>recordedAt</c>; <see cref="FixtureOptions.Default"/> when <c>null</c>.</param>
    /// <param name="loaded">Interactions already in the file that a save keeps in front of the new ones (empty to rewrite it).</param>
    /// <param name="baseline">The SHA-256 of the file as it was when <paramref name="loaded"/> was read (<c>null</c>: no file), to notice other writers.</param>
    internal FixtureRecorder(
        string path,
        FixtureOptions? options,
        IReadOnlyList<Interaction> loaded,
        byte[]? baseline
    )
    {
        Path = System.IO.Path.GetFullPath(path);
        Options = options ?? FixtureOptions.Default;
        _seed = [.. loaded];
        _baseline = baseline;
    }

    /// <summary>A recorder that rewrites <paramref name="path"/> with what it records (as <see cref="RecordMode.All"/>).</summary>
    /// <param name="path">The fixture file.</param>
    /// <param name="options">Filters and the clock; <see cref="FixtureOptions.Default"/> when <c>null</c>.</param>
    public static FixtureRecorder Create(string path, FixtureOptions? options = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        return new FixtureRecorder(full, options, [], FixtureStorage.Stamp(full));
    }

    /// <summary>The fixture file's full path.</summary>
    public string Path { get; }

    /// <summary>The filters and the clock.</summary>
    public FixtureOptions Options { get; }

    /// <summary>How many interactions the next save writes from this recorder (kept ones and new ones).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _seed.Count + _recorded.Count;
        }
    }

    /// <summary>Records one exchange: both sides are redacted with <see cref="Options"/> before they are kept.</summary>
    /// <param name="request">The request as sent.</param>
    /// <param name="response">The response as received.</param>
    public void Add(KlaviyoRequest request, RawResponse response) =>
        Add(
            Interaction.Record(
                request,
                response,
                Options.TimeProvider.GetUtcNow(),
                Options.RedactionRules
            )
        );

    /// <summary>Adds an interaction as it is (redact it first; see <see cref="Interaction.Record"/>).</summary>
    /// <param name="interaction">The interaction.</param>
    public void Add(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _recorded.Add(interaction);
        }
    }

    /// <summary>
    /// Writes the fixture file if anything was recorded since the last save. When the file changed on disk since this
    /// recorder read it (another recorder or process saved it), the file's interactions are kept and this recorder's
    /// new ones appended; otherwise the file becomes the kept interactions followed by the new ones.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for another process's save.</param>
    /// <exception cref="IOException">The file could not be written, or another process held it too long.</exception>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interaction[] fresh;
            Interaction[] seed;
            lock (_gate)
            {
                if (_recorded.Count == 0)
                    return;
                fresh = [.. _recorded];
                seed = [.. _seed];
            }
            await FixtureStorage
                .WithLockAsync(Path, () => Write(seed, fresh), cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            _saving.Release();
        }
    }

    private void Write(Interaction[] seed, Interaction[] fresh)
    {
        var onDisk = File.Exists(Path) ? File.ReadAllBytes(Path) : null;
        var stamp = onDisk is null ? null : FixtureStorage.Stamp(onDisk);
        // Someone else saved since we read the file: theirs first, ours after, nothing lost.
        var before =
            !SameStamp(stamp, _baseline) && onDisk is not null
                ? FixtureFile.Read(onDisk, Path)
                : seed;
        var all = before.Concat(fresh).ToList();
        byte[] written;
        using (var buffer = new MemoryStream())
        {
            FixtureFile.Write(buffer, all);
            written = buffer.ToArray();
        }
        FixtureStorage.WriteAtomically(Path, stream => stream.Write(written));
        lock (_gate)
        {
            _seed.Clear();
            _seed.AddRange(all);
            _recorded.RemoveRange(0, fresh.Length);
            _baseline = FixtureStorage.Stamp(written);
        }
    }

    private static bool SameStamp(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>Saves what was recorded.</summary>
    public async ValueTask DisposeAsync()
    {
        await SaveAsync().ConfigureAwait(false);
        lock (_gate)
            _disposed = true;
    }

    /// <summary>Saves what was recorded (blocking; prefer <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The path and the number of interactions.</summary>
    public override string ToString() => $"FixtureRecorder {{ Path = {Path}, Count = {Count} }}";
}
