using System.Buffers;
using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// How requests are matched against a fixture: method, path and query, the query compared without regard to the
/// order of its parameters and to how they were percent-encoded. Host and port are not compared, so a fixture
/// recorded against one server replays against any.
/// </summary>
internal static class RequestKey
{
    /// <summary>The key of a (redacted) request: <c>GET /api/profiles?a=1&amp;b=2</c>, pairs sorted.</summary>
    /// <param name="safe">The request, redacted with the fixture's rules.</param>
    public static string Of(KlaviyoRequest safe) => Of(safe.Method.Method, safe.Path, safe.Query);

    /// <summary>The key of a request from its method and its redacted path and query.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, percent-encoded, redacted.</param>
    /// <param name="query">The query pairs, unencoded, redacted.</param>
    public static string Of(string method, string path, Seq<(string Name, string Value)> query)
    {
        var key = new Builder(stackalloc char[256]);
        Write(ref key, method, path, query);
        var text = key.ToString();
        key.Dispose();
        return text;
    }

    /// <summary>
    /// Writes the key of a request into <paramref name="key"/>, for a lookup without making a string of it.
    /// </summary>
    /// <param name="key">Where to write.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, percent-encoded, redacted.</param>
    /// <param name="query">The query pairs, unencoded, redacted.</param>
    public static void Write(
        ref Builder key,
        string method,
        string path,
        Seq<(string Name, string Value)> query
    )
    {
        WriteMethod(ref key, method);
        Write(
            ref key,
            path,
            query.IsEmpty ? null
                : query.Count == 1 ? [query.Head]
                : query.ToArray()
        );
    }

    /// <summary>The key of a recorded request.</summary>
    /// <param name="recorded">The recorded request.</param>
    public static string Of(RecordedRequest recorded) => Of(recorded.Method, recorded.Url);

    /// <summary>The key of a recorded request from its method and absolute URL.</summary>
    /// <param name="method">The method.</param>
    /// <param name="url">The URL as recorded.</param>
    public static string Of(string method, string url)
    {
        var (path, query) = Split(url);
        var key = new Builder(stackalloc char[256]);
        WriteMethod(ref key, method);
        Write(ref key, path, Pairs(query));
        var text = key.ToString();
        key.Dispose();
        return text;
    }

    private static void Write(ref Builder key, string path, (string, string)[]? pairs)
    {
        var start = 0;
        var segments = 0;
        while (true)
        {
            var slash = path.IndexOf('/', start);
            var segment = slash < 0 ? path.AsSpan(start) : path.AsSpan(start, slash - start);
            if (segments > 0)
                key.Append('/');
            WriteDecodedEscaped(ref key, segment);
            segments++;
            if (slash < 0)
                break;
            start = slash + 1;
        }
        if (segments == 1)
            key.Append('/');
        if (pairs is not null)
            WriteSorted(ref key, pairs);
    }

    private static void WriteMethod(ref Builder key, string method)
    {
        if (Ascii.IsValid(method))
            foreach (var c in method)
                key.Append(char.ToUpperInvariant(c));
        else
            key.Append(method.ToUpperInvariant());
        key.Append(' ');
    }

    private static void WriteSorted(ref Builder key, (string Name, string Value)[] pairs)
    {
        if (pairs.Length > 1)
            Array.Sort(pairs, ByNameThenValue.Instance);
        var first = true;
        foreach (var (name, value) in pairs)
        {
            key.Append(first ? '?' : '&');
            first = false;
            WriteEscaped(ref key, name);
            key.Append('=');
            WriteEscaped(ref key, value);
        }
    }

    private sealed class ByNameThenValue : IComparer<(string Name, string Value)>
    {
        public static readonly ByNameThenValue Instance = new();

        public int Compare((string Name, string Value) a, (string Name, string Value) b)
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        }
    }

    // The segment decoded (when it has escapes) and escaped again as Uri.EscapeDataString does: the key does not
    // depend on how a client chose to percent-encode.
    private static void WriteDecodedEscaped(ref Builder key, scoped ReadOnlySpan<char> encoded)
    {
        if (!encoded.Contains('%'))
        {
            WriteEscaped(ref key, encoded);
            return;
        }
        // Unescaping never lengthens.
        char[]? rented = null;
        Span<char> decoded =
            encoded.Length <= 256
                ? stackalloc char[256]
                : (rented = ArrayPool<char>.Shared.Rent(encoded.Length));
        try
        {
            if (!Uri.TryUnescapeDataString(encoded, decoded, out var written))
                throw new InvalidOperationException("unescaping lengthened a segment");
            WriteEscaped(ref key, decoded[..written]);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static void WriteEscaped(ref Builder key, scoped ReadOnlySpan<char> text)
    {
        if (!text.ContainsAnyExcept(Unreserved))
            key.Append(text);
        else
            key.AppendEscaped(text);
    }

    // What Uri.EscapeDataString leaves as it is (RFC 3986 unreserved).
    private static readonly SearchValues<char> Unreserved = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    );

    /// <summary>A growable character buffer for building keys on the stack.</summary>
    internal ref struct Builder
    {
        private Span<char> _chars;
        private char[]? _rented;
        private int _length;

        /// <summary>A builder writing into <paramref name="initial"/> until it is full.</summary>
        /// <param name="initial">The first buffer (on the stack).</param>
        public Builder(Span<char> initial)
        {
            _chars = initial;
            _rented = null;
            _length = 0;
        }

        /// <summary>What was written.</summary>
        public readonly ReadOnlySpan<char> Written => _chars[.._length];

        public void Append(char c)
        {
            if (_length == _chars.Length)
                Grow(1);
            _chars[_length++] = c;
        }

        public void Append(scoped ReadOnlySpan<char> text)
        {
            if (_length + text.Length > _chars.Length)
                Grow(text.Length);
            text.CopyTo(_chars[_length..]);
            _length += text.Length;
        }

        /// <summary>Appends <paramref name="text"/> escaped as <see cref="Uri.EscapeDataString(string)"/> escapes it.</summary>
        public void AppendEscaped(scoped ReadOnlySpan<char> text)
        {
            // At most 9 characters per character (three UTF-8 bytes as %XX; a surrogate pair is 4 bytes for 2).
            var most = text.Length * 9;
            if (_length + most > _chars.Length)
                Grow(most);
            if (!Uri.TryEscapeDataString(text, _chars[_length..], out var written))
                throw new InvalidOperationException("escaping needed more room than allowed");
            _length += written;
        }

        private void Grow(int more)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + more));
            _chars[.._length].CopyTo(bigger);
            if (_rented is not null)
                ArrayPool<char>.Shared.Return(_rented);
            _chars = _rented = bigger;
        }

        public override readonly string ToString() => new(Written);

        /// <summary>Returns a rented buffer.</summary>
        public void Dispose()
        {
            if (_rented is not null)
                ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }

    /// <summary>The route of a key: method and path, no query.</summary>
    /// <param name="key">A key from <see cref="Of(KlaviyoRequest)"/>.</param>
    public static string Route(string key)
    {
        var question = key.IndexOf('?');
        return question < 0 ? key : key[..question];
    }

    /// <summary>The method of a key.</summary>
    /// <param name="key">A key.</param>
    public static string Method(string key) => key[..Math.Max(key.IndexOf(' '), 0)];

    /// <summary>The collection of a key: method and the first two path segments (<c>GET /api/profiles</c>).</summary>
    /// <param name="key">A key.</param>
    public static string Collection(string key)
    {
        var route = Route(key);
        var slashes = 0;
        for (var i = 0; i < route.Length; i++)
            if (route[i] == '/' && ++slashes == 3)
                return route[..i];
        return route;
    }

    // Path and query of an absolute URL as recorded (the host is not matched).
    private static (string Path, string? Query) Split(string url)
    {
        var hash = url.IndexOf('#');
        if (hash >= 0)
            url = url[..hash];
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = url.IndexOfAny(['/', '?'], schemeEnd < 0 ? 0 : schemeEnd + 3);
        if (pathStart < 0)
            return ("/", null);
        var question = url.IndexOf('?', pathStart);
        var path = question < 0 ? url[pathStart..] : url[pathStart..question];
        return (path.Length == 0 ? "/" : path, question < 0 ? null : url[(question + 1)..]);
    }

    private static (string Name, string Value)[]? Pairs(string? query)
    {
        if (string.IsNullOrEmpty(query))
            return null;
        var list = new List<(string, string)>();
        foreach (var piece in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = piece.IndexOf('=');
            list.Add(
                eq < 0 ? (Decode(piece), "") : (Decode(piece[..eq]), Decode(piece[(eq + 1)..]))
            );
        }
        return list.Count == 0 ? null : list.ToArray();
    }

    private static string Decode(string value) =>
        value.Contains('%') ? Uri.UnescapeDataString(value) : value;
}
