using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Records exchanges to a fixture file and answers from it, with VCR's semantics (see <see cref="RecordMode"/>).
/// Created by <see cref="Interpreter.Record"/> and <see cref="Interpreter.Replay"/>.
/// </summary>
/// <remarks>
/// <para>Requests match on method, path and query (query order does not matter); with
/// <see cref="FixtureOptions.MatchBody"/> also on the body. Repeated identical requests are answered in recorded
/// order. A request with no answer is a <see cref="KlaviyoError.Transport"/> error naming it and the nearest
/// recorded ones; nothing is sent.</para>
/// <para>Everything is redacted before it is stored. New interactions are saved when the interpreter is disposed,
/// when <see cref="Save"/> is called, and when the process exits; the file is replaced atomically. Safe to use from
/// many tasks at once.</para>
/// </remarks>
public sealed class FixtureInterpreter : IInterpreter, IDisposable, IAsyncDisposable
{
    private readonly IInterpreter? _inner;
    private readonly FixtureOptions _options;
    private readonly RedactionRules _rules;
    private readonly FixtureStore _store;
    private readonly bool _replays;
    private readonly bool _records;
    private readonly object _saveGate = new();
    private long _savedVersion;
    private EventHandler? _onExit;
    private volatile bool _disposed;

    internal FixtureInterpreter(
        IInterpreter? inner,
        string path,
        RecordMode mode,
        FixtureOptions? options
    )
    {
        Path = System.IO.Path.GetFullPath(path);
        Mode = mode;
        _options = options ?? FixtureOptions.Default;
        _rules = _options.RedactionRules;
        var exists = File.Exists(Path);
        (_replays, _records) = mode switch
        {
            RecordMode.Once => (exists, !exists),
            RecordMode.NewEpisodes => (true, true),
            RecordMode.None => (true, false),
            RecordMode.All => (false, true),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown record mode"),
        };
        if (mode == RecordMode.None && !exists)
            throw new FileNotFoundException(
                $"fixture '{Path}' does not exist; record it first with Interpreter.Record(inner, path)",
                Path
            );
        if (_records && inner is null)
            throw new ArgumentNullException(
                nameof(inner),
                "recording needs an interpreter to send with"
            );
        _inner = inner;
        var loaded = exists && mode != RecordMode.All ? Load(Path) : Array.Empty<JsonElement>();
        _store = new FixtureStore(loaded, _options.MatchBody, _options.AllowPlaybackRepeats);
        if (_records)
        {
            _onExit = (_, _) => SaveAtExit();
            AppDomain.CurrentDomain.ProcessExit += _onExit;
        }
    }

    /// <summary>The fixture file's full path.</summary>
    public string Path { get; }

    /// <summary>The record mode.</summary>
    public RecordMode Mode { get; }

    /// <summary>Whether requests the fixture does not answer are sent and recorded.</summary>
    public bool IsRecording => _records;

    /// <summary>How many interactions the fixture holds: those loaded plus those recorded in this session.</summary>
    public int Count => _store.Count;

    /// <inheritdoc />
    public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (cancellationToken.IsCancellationRequested)
            return new KlaviyoError.Cancelled { Attempts = 0 };
        if (_disposed)
            return new KlaviyoError.Transport($"the fixture interpreter for '{Path}' was disposed")
            {
                Attempts = 0,
            };
        KlaviyoRequest? redacted = null;
        KlaviyoRequest Redacted() => redacted ??= request.Redact(_rules);
        if (_replays)
        {
            var url = request.RedactedUrl(_rules);
            if (
                _store.TryPlay(
                    request.Method.Method,
                    url,
                    Redacted,
                    out var recorded,
                    out var failure
                )
            )
                return recorded!;
            if (!_records)
                return new KlaviyoError.Transport($"{failure} (fixture '{Path}', mode {Mode})")
                {
                    Attempts = 0,
                };
        }
        var result = await Exchange
            .ExecuteOnceAsync(_inner!, request, cancellationToken)
            .ConfigureAwait(false);
        if (result.IsRight)
        {
            var response = (RawResponse)result;
            _store.Append(
                FixtureFormat.Interaction(
                    Redacted(),
                    response.Redact(request.Secrets, _rules),
                    _options.TimeProvider.GetUtcNow()
                )
            );
        }
        return result;
    }

    /// <summary>
    /// Writes the fixture file now if anything was recorded since the last save: loaded interactions first, new ones
    /// after, through a temporary file moved over the old one.
    /// </summary>
    public void Save()
    {
        lock (_saveGate)
        {
            var (interactions, version) = _store.Snapshot();
            if (version == _savedVersion)
                return;
            FixtureFile.WriteAtomically(
                Path,
                stream => FixtureFormat.WriteFile(stream, interactions)
            );
            _savedVersion = version;
        }
    }

    /// <summary>Saves what was recorded and stops listening for process exit.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (Interlocked.Exchange(ref _onExit, null) is { } handler)
            AppDomain.CurrentDomain.ProcessExit -= handler;
        Save();
    }

    /// <summary>Saves what was recorded and stops listening for process exit.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The fixture's path, mode and size.</summary>
    public override string ToString() =>
        $"FixtureInterpreter {{ Path = {Path}, Mode = {Mode}, Count = {Count} }}";

    private void SaveAtExit()
    {
        try
        {
            Save();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"klaviyo: could not save fixture '{Path}': {e.Message}");
        }
    }

    private static IReadOnlyList<JsonElement> Load(string path) =>
        FixtureFormat.ReadFile(File.ReadAllBytes(path), path);
}
