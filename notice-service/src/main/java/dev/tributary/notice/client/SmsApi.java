package dev.tributary.notice.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * The SMS provider's Messages resource (Twilio's shape). Built by {@link
 * dev.tributary.notice.service.SmsSender} from {@code tributary.notice.sms.*}, not injected, so the
 * service starts without an SMS provider.
 */
@Path("/2010-04-01/Accounts/{sid}/Messages.json")
public interface SmsApi {

  /** The provider's answer; {@code sid} identifies the message at the provider. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record SmsMessage(String sid, String status) {}

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  Uni<SmsMessage> send(
      @PathParam("sid") String accountSid,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String basicAuth,
      @FormParam("To") String to,
      @FormParam("From") String from,
      @FormParam("Body") String body);
}
