using System.Text;
using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The values a request's redaction masks by name — secret headers, secret query parameters, secret form, multipart
/// and JSON fields, built in or named by the user's rules — collected as secrets, so that free text quoting them
/// (a server's error message, a network error) is scrubbed of them too. Pure; iterative over JSON of any depth.
/// </summary>
internal static class MaskedValues
{
    /// <summary>Every value <paramref name="scope"/> masks by name in <paramref name="request"/>, plus its secrets.</summary>
    /// <param name="request">The request.</param>
    /// <param name="scope">What to hide.</param>
    public static Seq<Secret> Of(KlaviyoRequest request, RedactionScope scope)
    {
        var found = new List<Secret>();
        foreach (var (name, value) in request.Headers)
            if (scope.IsSecretHeader(name))
                Add(found, CredentialOf(name, value));
        foreach (var (name, value) in request.Query)
            if (scope.IsSecretQueryParameter(name))
                Add(found, value);
        found.AddRange(InContent(request.Content, scope));
        return found.Count == 0
            ? request.Secrets
            : request.Secrets + found.Where(f => !request.Secrets.Exists(s => s.Equals(f))).ToSeq();
    }

    /// <summary>The values of the fields <paramref name="scope"/> masks in <paramref name="content"/>.</summary>
    /// <param name="content">The content.</param>
    /// <param name="scope">What to hide.</param>
    public static Seq<Secret> InContent(RequestContent content, RedactionScope scope)
    {
        var found = new List<Secret>();
        switch (content)
        {
            case RequestContent.Json json:
                InJson(json.Value, scope, found);
                break;
            case RequestContent.Form form:
                foreach (var (name, value) in form.Fields)
                    if (scope.IsSecretField(name))
                        Add(found, value);
                break;
            case RequestContent.Multipart multipart:
                foreach (var part in multipart.Parts)
                    if (part.FileName is null && scope.IsSecretField(part.Name))
                        Add(found, Encoding.UTF8.GetString(part.Content.Span));
                break;
        }
        return found.ToSeq();
    }

    // The credential of an authorization header ("Scheme credential"); the whole value of any other.
    private static string CredentialOf(string name, string value)
    {
        if (
            !name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
            && !name.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase)
        )
            return value;
        var space = value.IndexOf(' ');
        return space > 0 ? value[(space + 1)..].Trim() : value;
    }

    // Every string (and number) under a secret-named property, at any depth; an explicit stack, no recursion.
    private static void InJson(JsonElement root, RedactionScope scope, List<Secret> found)
    {
        var stack = new Stack<(JsonElement Element, bool Secret)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (element, secret) = stack.Pop();
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                        stack.Push((property.Value, secret || scope.IsSecretField(property.Name)));
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                        stack.Push((item, secret));
                    break;
                case JsonValueKind.String when secret:
                    Add(found, element.GetString());
                    break;
                case JsonValueKind.Number when secret:
                    Add(found, element.GetRawText());
                    break;
            }
        }
    }

    private static void Add(List<Secret> found, string? value)
    {
        if (!string.IsNullOrEmpty(value) && value != Redaction.Mask)
            found.Add(Secret.Of(value));
    }
}
