using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// How <see cref="Interpreter.Record"/> and <see cref="Interpreter.Replay"/> match requests and what they keep out
/// of fixture files. Immutable; copy with <c>with</c>.
/// </summary>
/// <remarks>
/// Secrets are always redacted before anything is written: the credential of the <c>authorization</c> header,
/// every value in <see cref="KlaviyoRequest.Secrets"/> (API key, access token, an operation's client secret or
/// refresh token), and secret form and JSON fields (<see cref="Redaction.SecretFields"/>). The filters here add to
/// that. Requests are redacted with the same rules before they are matched, so a redacted request still matches.
/// </remarks>
/// <example><code>
/// var options = new FixtureOptions
/// {
///     FilterHeaders = Seq1("x-shop-token"),
///     FilterQueryParameters = Seq1("email"),
///     ReplaceBodyField = (field, value) => field == "phone_number" ? "+15555550100" : value,
/// };
/// </code></example>
public sealed record FixtureOptions
{
    /// <summary>Match on method, path and query only; built-in redaction only; no playback repeats.</summary>
    public static readonly FixtureOptions Default = new();

    /// <summary>
    /// Also match on the request body (off by default). JSON bodies are compared semantically: property order and
    /// whitespace do not matter. Other bodies are compared exactly, after redaction.
    /// </summary>
    public bool MatchBody { get; init; }

    /// <summary>
    /// When every recorded answer for a request has been played, answer with the last one again (off by default,
    /// as in VCR: a request made more often than it was recorded is then an unmatched request).
    /// </summary>
    public bool AllowPlaybackRepeats { get; init; }

    /// <summary>More header names (any case) whose values are masked, in requests and responses.</summary>
    public Seq<string> FilterHeaders { get; init; } = Seq<string>();

    /// <summary>More query parameter names (any case) whose values are masked.</summary>
    public Seq<string> FilterQueryParameters { get; init; } = Seq<string>();

    /// <summary>More form, multipart or JSON field names (any case, any depth) whose values are masked.</summary>
    public Seq<string> FilterBodyFields { get; init; } = Seq<string>();

    /// <summary>More literal values scrubbed wherever they appear (URL, headers, bodies).</summary>
    public Seq<string> FilterValues { get; init; } = Seq<string>();

    /// <summary>Rewrites a header value before it is stored: <c>(name, value) → value</c>. Must be deterministic.</summary>
    public Func<string, string, string>? ReplaceHeader { get; init; }

    /// <summary>Rewrites a query parameter value before it is stored: <c>(name, value) → value</c>. Must be deterministic.</summary>
    public Func<string, string, string>? ReplaceQueryParameter { get; init; }

    /// <summary>
    /// Rewrites a form field or JSON string value before it is stored: <c>(field, value) → value</c>. Must be
    /// deterministic.
    /// </summary>
    public Func<string, string, string>? ReplaceBodyField { get; init; }

    /// <summary>
    /// What a <see cref="KlaviyoError.FixtureMiss"/> tells the reader to do; the default says to record the fixture
    /// again. <see cref="TestFixtures"/> sets one naming its environment variable.
    /// </summary>
    public string? MissAdvice { get; init; }

    /// <summary>The clock for each interaction's <c>recordedAt</c>; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>These filters as <see cref="RedactionRules"/>.</summary>
    public RedactionRules RedactionRules =>
        new()
        {
            Headers = FilterHeaders,
            QueryParameters = FilterQueryParameters,
            BodyFields = FilterBodyFields,
            Values = FilterValues,
            ReplaceHeader = ReplaceHeader,
            ReplaceQueryParameter = ReplaceQueryParameter,
            ReplaceBodyField = ReplaceBodyField,
        };
}
