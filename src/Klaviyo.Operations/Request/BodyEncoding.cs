using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Turns an operation's <see cref="RequestBody"/> into the structured <see cref="RequestContent"/> of a built
/// request: JSON through the codec into a tree, form fields as they are, multipart parts with a boundary derived
/// from their content. Pure.
/// </summary>
internal static class BodyEncoding
{
    /// <summary>The content, with the secrets the codec wrote into it; or why the body cannot be encoded.</summary>
    /// <param name="body">The body.</param>
    /// <param name="codec">The JSON codec.</param>
    public static Validation<string, (RequestContent Content, Seq<Secret> Secrets)> Encode(
        RequestBody body,
        IJsonCodec codec
    ) =>
        // No body (every GET): one shared answer, nothing to encode or look through.
        body is RequestBody.Empty
            ? NoContent
            : EncodeContent(body, codec)
                .Map(encoded =>
                {
                    // The values of secret-named fields given as plain strings are secrets too, so that text quoting
                    // them (a server's error message) is scrubbed of them.
                    var named = MaskedValues.InContent(encoded.Content, RedactionScope.Default);
                    return named.IsEmpty
                        ? encoded
                        : (
                            encoded.Content,
                            encoded.Secrets
                                + named.Filter(n => !encoded.Secrets.Exists(s => s.Equals(n)))
                        );
                });

    private static readonly Validation<
        string,
        (RequestContent Content, Seq<Secret> Secrets)
    > NoContent = Success(RequestContent.None);

    private static Validation<string, (RequestContent Content, Seq<Secret> Secrets)> EncodeContent(
        RequestBody body,
        IJsonCodec codec
    ) =>
        body switch
        {
            RequestBody.JsonValue json => Json(() => codec.Encode(json.Value), codec),
            RequestBody.TypedJsonValue typed => Json(
                () => JsonSerializer.SerializeToUtf8Bytes(typed.Value, typed.TypeInfo),
                codec
            ),
            RequestBody.FormFields form => Success(new RequestContent.Form(form.Fields)),
            RequestBody.MultipartParts multipart => Success(
                new RequestContent.Multipart(multipart.Parts, Boundary(multipart.Parts))
            ),
            _ => Success(RequestContent.None),
        };

    private static Validation<string, (RequestContent, Seq<Secret>)> Success(
        RequestContent content
    ) => Success<string, (RequestContent, Seq<Secret>)>((content, Seq<Secret>()));

    private static Validation<string, (RequestContent, Seq<Secret>)> Json(
        Func<byte[]> encode,
        IJsonCodec codec
    )
    {
        try
        {
            var (bytes, secrets) = RevealingSecretConverter.Collect(encode);
            var tree = codec.Parse(bytes);
            return Success<string, (RequestContent, Seq<Secret>)>(
                (new RequestContent.Json(tree, bytes), secrets)
            );
        }
        catch (Exception e)
            when (e
                    is NotSupportedException
                        or InvalidOperationException
                        or ArgumentException
                        or JsonException
            )
        {
            return Fail<string, (RequestContent, Seq<Secret>)>(
                $"the request body could not be encoded as JSON: {e.Message}"
            );
        }
    }

    // Deterministic: the boundary is derived from the content, so it cannot occur inside it by chance.
    private static string Boundary(Seq<MultipartPart> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in parts)
        {
            sha.AppendData(
                Encoding.UTF8.GetBytes(p.Name + "\0" + p.FileName + "\0" + p.ContentType + "\0")
            );
            sha.AppendData(p.Content.Span);
        }
        return "klaviyo-" + Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }
}
