using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// What to hide in one request or response: the built-in secret names, the user's <see cref="RedactionRules"/>,
/// and the secret values the request carries. Every redacting printer goes through one scope.
/// </summary>
internal sealed class RedactionScope
{
    private readonly System.Collections.Generic.HashSet<string> _secretFields;
    private readonly SecretForms _forms;

    private RedactionScope(
        RedactionRules rules,
        Seq<string> secrets,
        System.Collections.Generic.HashSet<string> secretFields
    )
    {
        Rules = rules;
        Secrets = Distinct(secrets, rules.Values);
        _secretFields = secretFields;
        _forms = SecretForms.Of(Secrets);
    }

    // The non-empty values of both, each once, in order.
    private static Seq<string> Distinct(Seq<string> secrets, Seq<string> values)
    {
        if (values.IsEmpty && secrets.Count == 1 && !string.IsNullOrEmpty(secrets.Head))
            return secrets;
        var list = new List<string>(secrets.Count + values.Count);
        foreach (var s in secrets.Concat(values))
            if (!string.IsNullOrEmpty(s) && !list.Contains(s))
                list.Add(s);
        return list.ToSeq().Strict();
    }

    /// <summary>A scope for a request carrying <paramref name="secrets"/>.</summary>
    /// <param name="secrets">The request's secrets.</param>
    /// <param name="rules">The user's rules.</param>
    public static RedactionScope ForRequest(Seq<Secret> secrets, RedactionRules rules) =>
        new(rules, Revealed(secrets), Redaction.SecretFields);

    /// <summary>A scope for a response to a request carrying <paramref name="secrets"/> (it may echo them).</summary>
    /// <param name="secrets">The request's secrets.</param>
    /// <param name="rules">The user's rules.</param>
    public static RedactionScope ForResponse(Seq<Secret> secrets, RedactionRules rules) =>
        new(rules, Revealed(secrets), Redaction.ResponseSecretFields);

    // Redaction.Values, without a lazy sequence for the usual one secret.
    private static Seq<string> Revealed(Seq<Secret> secrets) =>
        secrets.Count switch
        {
            0 => default,
            1 => Seq1(secrets.Head.Reveal()),
            _ => Redaction.Values(secrets).Strict(),
        };

    /// <summary>The user's rules.</summary>
    public RedactionRules Rules { get; }

    /// <summary>The secret values to scrub wherever they appear.</summary>
    public Seq<string> Secrets { get; }

    /// <summary>Whether a body field (form, multipart or JSON property at any depth) is masked whole.</summary>
    /// <param name="name">The field name, unescaped.</param>
    public bool IsSecretField(string name) =>
        _secretFields.Contains(name) || Named(Rules.BodyFields, name);

    /// <summary>Whether a query parameter is masked whole.</summary>
    /// <param name="name">The decoded name.</param>
    public bool IsSecretQueryParameter(string name) =>
        Redaction.SecretFields.Contains(name) || Named(Rules.QueryParameters, name);

    /// <summary>Whether a header is masked (the credential part of <c>authorization</c>, the whole value of others).</summary>
    /// <param name="name">The header name.</param>
    public bool IsSecretHeader(string name) =>
        Redaction.SecretHeaders.Contains(name) || Named(Rules.Headers, name);

    // Whether names holds name (any case); no closure for the usual empty list.
    private static bool Named(Seq<string> names, string name)
    {
        if (names.IsEmpty)
            return false;
        foreach (var n in names)
            if (n.Equals(name, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>Scrubs free text of every secret value; text without any comes back as the same instance.</summary>
    /// <param name="text">The text.</param>
    public string Scrub(string text) => _forms.Scrub(text);

    /// <summary>A body field's value as it may be shown.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value.</param>
    public string Field(string name, string value)
    {
        if (IsSecretField(name))
            return Redaction.Mask;
        if (Rules.ReplaceBodyField is { } replace)
            value = replace(name, value);
        return Scrub(value);
    }

    /// <summary>Form fields as they may be shown.</summary>
    /// <param name="fields">The fields.</param>
    public Seq<(string Name, string Value)> Fields(Seq<(string Name, string Value)> fields) =>
        fields.Map(f => (f.Name, Field(f.Name, f.Value)));

    /// <summary>A query parameter's value as it may be shown.</summary>
    /// <param name="name">The decoded name.</param>
    /// <param name="value">The decoded value.</param>
    public string QueryValue(string name, string value)
    {
        if (IsSecretQueryParameter(name))
            return Redaction.Mask;
        if (Rules.ReplaceQueryParameter is { } replace)
            value = replace(name, value);
        return Scrub(value);
    }

    /// <summary>A header's value as it may be shown.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value.</param>
    public string HeaderValue(string name, string value)
    {
        var shown = Redaction.HeaderValue(name, value);
        if (Named(Rules.Headers, name))
            shown = Redaction.Mask;
        if (Rules.ReplaceHeader is { } replace)
            shown = replace(name, shown);
        return Scrub(shown);
    }

    /// <summary>No secrets, built-in names only.</summary>
    public static RedactionScope Default { get; } =
        ForRequest(Seq<Secret>(), RedactionRules.Default);
}
