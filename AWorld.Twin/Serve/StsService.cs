using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace AWorld.Twin.Serve;

/// <summary>STS <c>GetCallerIdentity</c> over the query protocol: who the documented key pair is (a credentials check).</summary>
internal sealed class StsService : IServedService
{
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static readonly WireDialect Dialect = new(WireProtocol.AwsQuery, XmlNamespace: Namespace);

    public string SigningName => "sts";

    public WireDialect DialectOf(HttpRequest request) => Dialect;

    public async Task HandleAsync(AwsCall call)
    {
        var action = AwsWire.ParseForm(call.Body).GetValueOrDefault("Action") ?? call.Query("Action");
        if (action != "GetCallerIdentity")
        {
            throw AwsErrorException.BadRequest("InvalidAction", $"The served twin's STS answers GetCallerIdentity only, not '{action}'.");
        }

        XNamespace x = Namespace;
        await call.XmlAsync(AwsWire.QueryResponse(Namespace, "GetCallerIdentity",
            new XElement(x + "Arn", $"arn:aws:iam::{TwinCredentials.AccountId}:user/aworld-twin"),
            new XElement(x + "UserId", "AIDAAWORLDTWIN0000000"),
            new XElement(x + "Account", TwinCredentials.AccountId)));
    }
}
