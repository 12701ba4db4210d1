using System.Security.Claims;
using System.Security.Cryptography;
using AWorld.Console.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AWorld.Console.Accounts;

/// <summary>
/// Issues the bearer tokens of the API and the hub. The signing key is created once in the data directory, so a
/// restart (or another instance sharing the directory) keeps accepting the tokens it issued.
/// </summary>
public sealed class TokenService
{
    public const string Issuer = "aworld-console";
    public const string Audience = "aworld-console";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";

    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public TokenService(DataDirectory data, TimeProvider time, IOptions<ConsoleOptions> options)
    {
        _time = time;
        _lifetime = options.Value.TokenLifetime;
        var path = Path.Combine(data.KeysPath, "token-signing.key");
        if (!File.Exists(path))
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, fresh);
            File.Move(temp, path, overwrite: false);
        }

        SigningKey = new SymmetricSecurityKey(File.ReadAllBytes(path)) { KeyId = "aworld-1" };
    }

    public SymmetricSecurityKey SigningKey { get; }

    public (string Token, TimeSpan Lifetime) Issue(UserAccount user)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _lifetime,
            Subject = new ClaimsIdentity([new Claim(NameClaim, user.UserName), new Claim(RoleClaim, user.Role)]),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
        return (token, _lifetime);
    }
}
