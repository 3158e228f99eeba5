// Stands in for Stripe.js (js.stripe.com is out of reach here): the Payment Element is a plain card field, and
// confirmPayment calls Stripe's confirm endpoint, which the journey routes to the Stripe stand-in.
window.Stripe = function Stripe(publishableKey) {
  return {
    elements({ clientSecret }) {
      return {
        clientSecret,
        create() {
          return {
            mount(target) {
              const element = typeof target === 'string' ? document.querySelector(target) : target;
              element.innerHTML = '<label>Card number <input name="cardnumber" value="4242 4242 4242 4242" autocomplete="cc-number"></label>';
            },
          };
        },
      };
    },
    async confirmPayment({ elements }) {
      const id = elements.clientSecret.split('_secret_')[0];
      const response = await fetch(`https://api.stripe.com/v1/payment_intents/${id}/confirm`, { method: 'POST', headers: { Authorization: `Bearer ${publishableKey}` } });
      return response.ok ? { paymentIntent: await response.json() } : { error: { message: `Stripe answered ${response.status}` } };
    },
  };
};
window.Stripe.version = 'endive';
