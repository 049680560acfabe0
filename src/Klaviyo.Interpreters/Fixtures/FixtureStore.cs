using System.Text.Json;

namespace Klaviyo;

/// <summary>
/// The interactions of one fixture in memory: the playable ones (loaded from the file) indexed by
/// <see cref="RequestKey"/> (plus the canonical body when bodies are matched), each key with its own play cursor,
/// and the full list in file order for saving. Thread-safe: one lock guards the list, the index and the cursors.
/// </summary>
internal sealed class FixtureStore
{
    private readonly object _gate = new();
    private readonly List<JsonElement> _all;
    private readonly Dictionary<string, Bucket> _index;
    private readonly bool _matchBody;
    private readonly bool _allowRepeats;
    private Dictionary<string, List<string>>? _byRoute;
    private long _version;

    private sealed class Bucket(string display)
    {
        public string Display { get; } = display;
        public List<Entry> Entries { get; } = new(1);
        public int Next { get; set; }
    }

    private sealed class Entry(JsonElement interaction)
    {
        public JsonElement Interaction { get; } = interaction;
        public RawResponse? Response { get; set; }
    }

    /// <summary>A store answering from <paramref name="playable"/>.</summary>
    /// <param name="playable">The interactions loaded from the file, in order.</param>
    /// <param name="matchBody">Whether the request body is part of the match.</param>
    /// <param name="allowRepeats">Whether the last answer repeats once all are played.</param>
    public FixtureStore(IReadOnlyList<JsonElement> playable, bool matchBody, bool allowRepeats)
    {
        _matchBody = matchBody;
        _allowRepeats = allowRepeats;
        _all = new List<JsonElement>(playable);
        _index = new Dictionary<string, Bucket>(playable.Count, StringComparer.Ordinal);
        foreach (var interaction in playable)
        {
            var method = FixtureFormat.Method(interaction);
            var url = FixtureFormat.Url(interaction);
            var key = Key(RequestKey.Of(method, url), interaction);
            if (!_index.TryGetValue(key, out var bucket))
                _index.Add(key, bucket = new Bucket(RequestKey.Display(method, url)));
            bucket.Entries.Add(new Entry(interaction));
        }
    }

    /// <summary>How many interactions the fixture holds (loaded and newly recorded).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _all.Count;
        }
    }

    /// <summary>
    /// The next recorded answer for <paramref name="redacted"/>, or a message naming the request and the nearest
    /// recorded ones.
    /// </summary>
    /// <param name="method">The request's method.</param>
    /// <param name="redactedUrl">The request's URL, redacted with the fixture's rules.</param>
    /// <param name="redacted">Gives the whole request redacted with the fixture's rules (asked for only when bodies are matched).</param>
    /// <param name="response">The answer when found.</param>
    /// <param name="failure">Why there is none.</param>
    public bool TryPlay(
        string method,
        string redactedUrl,
        Func<KlaviyoRequest> redacted,
        out RawResponse? response,
        out string? failure
    )
    {
        var key = RequestKey.Of(method, redactedUrl);
        var fullKey = _matchBody
            ? Key(key, FixtureFormat.Interaction(redacted(), EmptyResponse, default))
            : key;
        lock (_gate)
        {
            if (_index.TryGetValue(fullKey, out var bucket))
            {
                Entry? entry = null;
                if (bucket.Next < bucket.Entries.Count)
                    entry = bucket.Entries[bucket.Next++];
                else if (_allowRepeats)
                    entry = bucket.Entries[^1];
                if (entry is not null)
                {
                    response = entry.Response ??= FixtureFormat.Response(entry.Interaction);
                    failure = null;
                    return true;
                }
                response = null;
                failure =
                    $"every recorded interaction matching {bucket.Display} was already played ({bucket.Entries.Count} recorded); "
                    + "record it again, or set FixtureOptions.AllowPlaybackRepeats to repeat the last answer";
                return false;
            }
            response = null;
            failure =
                $"no recorded interaction matches {RequestKey.Display(method, redactedUrl)}"
                + Nearest(method, redactedUrl);
            return false;
        }
    }

    /// <summary>Adds a newly recorded interaction (it is saved, but not played back in this session).</summary>
    /// <param name="interaction">The interaction.</param>
    public void Append(JsonElement interaction)
    {
        lock (_gate)
        {
            _all.Add(interaction);
            _version++;
        }
    }

    /// <summary>All interactions in order, and a version that changes with every <see cref="Append"/>.</summary>
    public (JsonElement[] Interactions, long Version) Snapshot()
    {
        lock (_gate)
            return (_all.ToArray(), _version);
    }

    private static readonly RawResponse EmptyResponse = new(
        0,
        LanguageExt.Seq<(string, string)>.Empty,
        ReadOnlyMemory<byte>.Empty
    );

    private string Key(string requestKey, JsonElement interaction) =>
        _matchBody
            ? requestKey + "\n" + FixtureFormat.CanonicalRequestBody(interaction)
            : requestKey;

    // Recorded requests with the same method and path first; else the closest by edit distance.
    private string Nearest(string method, string url)
    {
        if (_index.Count == 0)
            return "; the fixture has no recorded interactions";
        _byRoute ??= ByRoute();
        var sameRoute = _byRoute.TryGetValue(RequestKey.Route(method, url), out var displays)
            ? displays
            : null;
        IEnumerable<string> nearest;
        if (sameRoute is not null)
            nearest = sameRoute.Take(3);
        else
        {
            var target = RequestKey.Display(method, url);
            nearest = _index
                .Values.Select(b => b.Display)
                .Distinct()
                .OrderBy(d => EditDistance(d, target))
                .ThenBy(d => d, StringComparer.Ordinal)
                .Take(3);
        }
        var list = nearest.Select(d =>
            d == RequestKey.Display(method, url) && _matchBody ? d + " (with another body)" : d
        );
        return "; nearest recorded: " + string.Join(", ", list);
    }

    private Dictionary<string, List<string>> ByRoute()
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var bucket in _index.Values)
        {
            var space = bucket.Display.IndexOf(' ');
            var method = bucket.Display[..space];
            var route = RequestKey.Route(method, "http://x" + bucket.Display[(space + 1)..]);
            if (!map.TryGetValue(route, out var list))
                map.Add(route, list = []);
            if (!list.Contains(bucket.Display))
                list.Add(bucket.Display);
        }
        return map;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(
                    Math.Min(current[j - 1] + 1, previous[j] + 1),
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                );
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
