const root = document.documentElement;
function apply() {
  const night = document.getElementById('night').checked;
  const phone = document.getElementById('phone').checked;
  document.querySelectorAll('.card').forEach(c => {
    c.classList.toggle('nightMode', night); c.classList.toggle('night_mode', night);
    c.classList.toggle('mobile', phone);
  });
  document.body.classList.toggle('narrow', phone);
}
document.getElementById('night').addEventListener('change', apply);
document.getElementById('phone').addEventListener('change', apply);
if (location.protocol.startsWith('http')) {
  let seen = null;
  setInterval(() => fetch('/__version', {cache: 'no-store'}).then(r => r.text()).then(v => {
    if (seen !== null && v !== seen) location.reload();
    seen = v;
  }).catch(() => {}), 700);
}
