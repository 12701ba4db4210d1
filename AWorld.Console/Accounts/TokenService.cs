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
            // Written beside, readable by the owner only, then moved into place: another instance starting on the
            // same directory either wins the move or reads the key that did.
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                file.Write(RandomNumberGenerator.GetBytes(32));
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
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
