using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// What to hide when a request or response is printed or stored, on top of what is always hidden: the credential
/// of an <c>authorization</c> header (and every header in <see cref="Redaction.SecretHeaders"/>), every value in
/// <see cref="KlaviyoRequest.Secrets"/>, and the form and JSON fields in <see cref="Redaction.SecretFields"/>.
/// </summary>
/// <remarks>
/// Rules are applied in this order: built-in masking, then the names listed here (the whole value becomes
/// <see cref="Redaction.Mask"/>), then the replacement functions (given the value after masking), and finally every
/// secret value and every entry of <see cref="Values"/> is scrubbed wherever it still appears. Replacement functions
/// must be deterministic (same input, same output): fixtures are matched on the redacted request.
/// </remarks>
/// <example><code>
/// var rules = new RedactionRules
/// {
///     Headers = Seq1("x-shop-token"),
///     ReplaceQueryParameter = (name, value) => name == "email" ? "someone@example.com" : value,
/// };
/// string curl = request.ToCurl(rules);
/// </code></example>
public sealed record RedactionRules
{
    /// <summary>Only the built-in secrets are hidden.</summary>
    public static readonly RedactionRules Default = new();

    /// <summary>More header names (any case) whose values are masked whole, in requests and responses.</summary>
    public Seq<string> Headers { get; init; } = Seq<string>();

    /// <summary>More query parameter names (any case, after decoding) whose values are masked.</summary>
    public Seq<string> QueryParameters { get; init; } = Seq<string>();

    /// <summary>
    /// More body field names (any case) whose values are masked: form fields, multipart text fields, and JSON
    /// properties at any depth (the whole value of the property, whatever its type), in requests and responses.
    /// </summary>
    public Seq<string> BodyFields { get; init; } = Seq<string>();

    /// <summary>More literal values scrubbed wherever they appear (like <see cref="KlaviyoRequest.Secrets"/>).</summary>
    public Seq<string> Values { get; init; } = Seq<string>();

    /// <summary>Rewrites a header value: given the name and the value (after masking), returns the value to keep.</summary>
    public Func<string, string, string>? ReplaceHeader { get; init; }

    /// <summary>Rewrites a query parameter value: given the decoded name and value, returns the value to keep.</summary>
    public Func<string, string, string>? ReplaceQueryParameter { get; init; }

    /// <summary>
    /// Rewrites a body value: given the field name (the JSON property holding it, for array items the array's
    /// property) and a string value, returns the value to keep. Called for form fields, multipart text fields and
    /// JSON string values.
    /// </summary>
    public Func<string, string, string>? ReplaceBodyField { get; init; }
}
